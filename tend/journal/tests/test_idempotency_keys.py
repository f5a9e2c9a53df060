"""What an idempotency hash is keyed by: the author's data key, which travels with the data.

A retry must find its moment on any app server and after a restore into a fresh data directory
(tend/core/tests/test_restore_drill.py runs the whole drill); hashes stored before the change were
keyed by SECRET_KEY and keep working while that key (or a fallback) is around."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils.crypto import salted_hmac

from tend.core import vault
from tend.journal import services
from tend.journal.models import Moment
from tend.journal.services import IdempotencyConflict, moment_log

pytestmark = pytest.mark.django_db


def old_request_hash(*, author: Any, fields: dict[str, Any]) -> str:
    """The hash as the code before this change stored it: keyed by SECRET_KEY."""
    canonical = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return salted_hmac(
        f"tend.journal.moment_log:{author.pk}", canonical, algorithm="sha256"
    ).hexdigest()


def test_a_retry_finds_its_moment_under_another_secret_key(alice: Any, settings: Any) -> None:
    first, _ = moment_log(author=alice, idempotency_key="k", cue="phone at dinner", states=[])
    settings.SECRET_KEY = "another data directory made another secret key"
    again, created = moment_log(author=alice, idempotency_key="k", cue="phone at dinner", states=[])
    assert (again.pk, created) == (first.pk, False)


def test_the_hash_is_keyed_by_the_authors_data_key(alice: Any) -> None:
    moment_log(author=alice, idempotency_key="k", cue="a", states=[])
    vault.shred(user=alice)
    # With the data key gone, a new one is made and the old hash no longer matches: the hash,
    # like the words, is shredded with the key.
    with pytest.raises(IdempotencyConflict):
        moment_log(author=alice, idempotency_key="k", cue="a", states=[])
    assert Moment.objects.filter(author=alice).count() == 1


def test_a_hash_stored_under_the_secret_key_still_matches_and_moves_to_the_data_key(
    alice: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_code:
        old_code.setattr(services, "_request_hash", old_request_hash)
        first, _ = moment_log(author=alice, idempotency_key="k", cue="a", states=["freeze"])
    legacy = Moment.objects.get(pk=first.pk).request_hash

    again, created = moment_log(author=alice, idempotency_key="k", cue="a", states=["freeze"])
    assert (again.pk, created) == (first.pk, False)
    assert Moment.objects.get(pk=first.pk).request_hash != legacy
    # Moved: the next retry matches without the secret key that made the old hash.
    settings.SECRET_KEY = "a fresh data directory's secret key"
    again, created = moment_log(author=alice, idempotency_key="k", cue="a", states=["freeze"])
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(IdempotencyConflict):
        moment_log(author=alice, idempotency_key="k", cue="b", states=["freeze"])


def test_a_hash_stored_under_a_retired_secret_key_matches_while_it_is_a_fallback(
    alice: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_code:
        old_code.setattr(services, "_request_hash", old_request_hash)
        first, _ = moment_log(author=alice, idempotency_key="k", cue="a", states=[])
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the new secret key"
    again, created = moment_log(author=alice, idempotency_key="k", cue="a", states=[])
    assert (again.pk, created) == (first.pk, False)


def test_a_hash_stored_under_a_lost_secret_key_is_a_conflict(
    alice: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_code:
        old_code.setattr(services, "_request_hash", old_request_hash)
        moment_log(author=alice, idempotency_key="k", cue="a", states=[])
    settings.SECRET_KEY = "the old key was not carried over"
    with pytest.raises(IdempotencyConflict):
        moment_log(author=alice, idempotency_key="k", cue="a", states=[])
