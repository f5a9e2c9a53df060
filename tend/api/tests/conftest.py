from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.api.services import token_create

TokenMaker = Callable[..., tuple[ApiToken, str]]


@pytest.fixture
def make_token(db: Any) -> TokenMaker:
    def make(user: User, scope: str = "write", name: str = "Laptop script") -> tuple[ApiToken, str]:
        return token_create(user=user, name=name, scope=scope)

    return make


def bearer(plaintext: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def token_client(plaintext: str) -> Client:
    return Client(**bearer(plaintext))


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


@pytest.fixture
def alice_tokens(alice: User, make_token: TokenMaker) -> list[str]:
    """Seven of alice's tokens, listed as the API orders them."""
    for i in range(7):
        make_token(alice, name=f"t{i}")
    return [str(t.id) for t in ApiToken.objects.order_by("-created_at", "-id")]
