"""The bearer-token look-up: one prepared SELECT, never a stale answer."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tend.accounts.models import User
from tend.api.selectors import token_active_for_secret
from tend.api.services import token_revoke, token_touch
from tend.api.tests.conftest import TokenMaker, token_client
from tend.core import vault


def test_it_finds_the_token_its_owner_and_their_data_key_in_one_query(
    alice: User, make_token: TokenMaker
) -> None:
    vault.data_key(alice.pk, create=True)  # the key exists once alice has written something
    token, secret = make_token(alice)
    token_touch(token=token)
    with CaptureQueriesContext(connection) as queries:
        found = token_active_for_secret(plaintext=secret)
        assert found is not None
        assert (found.id, found.user.pk, found.user.email) == (token.id, alice.pk, alice.email)
        assert found.user.data_key.user_id == alice.pk
    assert len(queries) == 1
    # The values come back as the ORM's own would: typed, and times aware.
    assert isinstance(found.id, uuid.UUID) and isinstance(found.user.pk, uuid.UUID)
    assert found.created_at == token.created_at and timezone.is_aware(found.created_at)
    assert found.last_used_at is not None and timezone.is_aware(found.last_used_at)
    assert found.revoked_at is None and found.can_write
    assert found.user.is_active is True


def test_it_finds_the_token_of_someone_who_has_no_data_key_yet(
    bob: User, make_token: TokenMaker
) -> None:
    _, secret = make_token(bob)
    found = token_active_for_secret(plaintext=secret)
    assert found is not None and found.user.pk == bob.pk
    assert not hasattr(found.user, "data_key")


def test_a_revoked_token_is_refused_at_once(alice: User, make_token: TokenMaker) -> None:
    token, secret = make_token(alice)
    assert token_client(secret).get("/api/v1/me").status_code == 200
    token_revoke(actor=alice, token=token)
    assert token_active_for_secret(plaintext=secret) is None
    assert token_client(secret).get("/api/v1/me").status_code == 401


def test_the_token_of_a_deactivated_person_is_refused(alice: User, make_token: TokenMaker) -> None:
    _, secret = make_token(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert token_active_for_secret(plaintext=secret) is None


def test_an_unknown_or_malformed_secret_finds_nothing(alice: User, make_token: TokenMaker) -> None:
    _, secret = make_token(alice)
    assert token_active_for_secret(plaintext=secret[:-1] + "x") is None
    assert token_active_for_secret(plaintext="tend_" + "a" * 300) is None
    assert token_active_for_secret(plaintext=secret.removeprefix("tend_")) is None
