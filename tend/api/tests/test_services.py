from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tend.accounts.export import collect_export
from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.api.selectors import hash_token
from tend.api.services import token_create, token_revoke, tokens_revoke_all
from tend.api.tests.conftest import TokenMaker, token_client
from tend.core.models import AuditEvent


def test_only_the_hash_of_a_token_is_stored(alice: User) -> None:
    token, secret = token_create(user=alice, name="Script", scope="read")
    row = ApiToken.objects.filter(id=token.id).values().get()
    assert secret not in str(row)
    assert row["hashed"] == hash_token(secret) and len(row["hashed"]) == 64
    assert secret.startswith(row["prefix"]) and len(row["prefix"]) < 16


def test_two_tokens_never_share_a_secret(alice: User) -> None:
    secrets = {token_create(user=alice, name=f"t{i}", scope="read")[1] for i in range(20)}
    assert len(secrets) == 20 and all(len(s) > 40 for s in secrets)


@pytest.mark.parametrize(("name", "scope"), [("", "read"), ("x" * 61, "read"), ("ok", "admin")])
def test_create_refuses_bad_names_and_scopes(alice: User, name: str, scope: str) -> None:
    with pytest.raises(ValidationError):
        token_create(user=alice, name=name, scope=scope)
    assert not ApiToken.objects.exists()


def test_revoke_refuses_a_token_that_is_not_the_actors(
    alice: User, bob: User, make_token: TokenMaker
) -> None:
    token, _ = make_token(alice)
    with pytest.raises(PermissionError):
        token_revoke(actor=bob, token=token)
    assert ApiToken.objects.get(id=token.id).revoked_at is None


def test_revoking_twice_records_one_event(alice: User, make_token: TokenMaker) -> None:
    token, _ = make_token(alice)
    token_revoke(actor=alice, token=token)
    token_revoke(actor=alice, token=token)
    assert AuditEvent.objects.filter(action="api.token_revoked").count() == 1


def test_revoke_all_ends_every_token_of_the_person_only(
    alice: User, bob: User, make_token: TokenMaker
) -> None:
    alices = [make_token(alice)[1] for _ in range(2)]
    _, bobs = make_token(bob)
    assert tokens_revoke_all(actor=alice) == 2
    assert all(token_client(s).get("/api/v1/me").status_code == 401 for s in alices)
    assert token_client(bobs).get("/api/v1/me").status_code == 200


def test_the_data_export_lists_tokens_without_secrets(alice: User, bob: User,
                                                      make_token: TokenMaker) -> None:
    token, secret = make_token(alice, name="Export me")
    make_token(bob, name="Not alice's")
    section = collect_export(user=alice)["api_tokens"]
    assert [t["name"] for t in section] == ["Export me"]
    assert secret not in str(section) and token.hashed not in str(section)
