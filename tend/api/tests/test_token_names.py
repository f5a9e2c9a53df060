from __future__ import annotations

import json

import pytest

from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.conftest import client_for


@pytest.mark.parametrize("name", ["phone\x00shortcut", "bell\x07", "two\nlines"])
def test_a_token_name_with_control_characters_is_refused_with_a_reason(
    alice: User, name: str
) -> None:
    response = client_for(alice).post(
        "/api/v1/tokens", data=json.dumps({"name": name}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "control characters" in response.content.decode()
    assert not ApiToken.objects.exists()
