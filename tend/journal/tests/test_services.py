from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from tend.core.models import AuditEvent
from tend.journal.models import Moment
from tend.journal.selectors import moment_for, moments_of
from tend.journal.services import (
    IdempotencyConflict,
    RestoreExpired,
    moment_delete,
    moment_log,
    moment_restore,
    moment_update,
    moments_purge_deleted,
)
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# ---- Validation: clear errors, nothing stored ---------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"states": ["fight"], "intensity": 11}, "intensity", "0 (none) to 10"),
        ({"states": ["fight"], "intensity": -1}, "intensity", "0 (none) to 10"),
        ({"states": ["fight"], "intensity_after": True}, "intensity_after", "0 (none) to 10"),
        ({"states": ["angry"]}, "states", "not in it"),
        ({"states": ["fight"], "needs": ["revenge"]}, "needs", "not in it"),
        ({"states": ["fight"], "contexts": ["moon"]}, "contexts", "not in it"),
        ({"states": ["fight"], "body": [{"region": "tail"}]}, "body", "body region"),
        (
            {"states": ["fight"], "body": [{"region": "jaw", "sensations": ["sparkly"]}]},
            "body",
            "sensations",
        ),
        (
            {"states": ["fight"], "body": [{"region": "jaw", "intensity": 12}]},
            "body",
            "0 to 10",
        ),
        ({"states": ["fight"], "body": [{"region": "jaw", "x": 1}]}, "body", "only region"),
        ({"cue": "x" * 1_000_000}, "cue", "under 2,000 characters"),
        ({"cue": "hello\x00world"}, "cue", "control characters"),
        ({"states": ["fight"], "story": "\x1b[31mred"}, "story", "control characters"),
        ({"states": ["fight"], "kind": "tantrum"}, "kind", "activation or glimmer"),
        ({"states": ["fight"], "minutes_to_settle": 99999}, "minutes_to_settle", "up to a week"),
        ({"states": ["fight"], "occurred_at": "yesterday"}, "occurred_at", "such as"),
        (
            {"states": ["fight"], "occurred_at": dt.datetime(2026, 1, 1, 12, 0)},  # noqa: DTZ001
            "occurred_at",
            "time zone",
        ),
    ],
)
def test_it_refuses_invalid_moments_with_a_clear_message_and_stores_nothing(
    alice: Any, fields: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        moment_log(author=alice, **fields)
    assert words in " ".join(errors_of(excinfo)[field])
    assert Moment.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="journal.").exists()


def test_it_refuses_a_moment_far_in_the_future(alice: Any) -> None:
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as excinfo:
        moment_log(author=alice, states=["freeze"], occurred_at=later)
    assert "already happened" in errors_of(excinfo)["occurred_at"][0]
    assert Moment.objects.count() == 0


def test_it_allows_a_phone_clock_that_runs_a_few_minutes_fast(alice: Any) -> None:
    soon = timezone.now() + dt.timedelta(minutes=5)
    moment, created = moment_log(author=alice, states=["freeze"], occurred_at=soon)
    assert created and moment.occurred_at == soon


def test_it_needs_only_a_cue_or_a_state(alice: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        moment_log(author=alice, cue="   ", intensity=4)
    assert "Choose how you are feeling" in errors_of(excinfo)["__all__"][0]
    by_state, _ = moment_log(author=alice, states=["fight"])
    by_cue, _ = moment_log(author=alice, cue="they said 'later'")
    assert by_state.states == ["fight"] and by_cue.cue == "they said 'later'"


def test_it_reports_every_problem_at_once_without_echoing_what_was_typed(alice: Any) -> None:
    secret = "CANARY-7f3a-do-not-echo"
    with pytest.raises(ValidationError) as excinfo:
        moment_log(author=alice, cue=secret + "\x07", intensity=42, states=["nope"])
    errors = errors_of(excinfo)
    assert set(errors) == {"cue", "intensity", "states"}
    assert secret not in str(errors)


def test_it_refuses_fields_a_moment_does_not_have(alice: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        moment_log(author=alice, states=["fight"], author_id="someone-else")
    assert "only the fields a moment has" in errors_of(excinfo)["__all__"][0]


def test_it_keeps_states_in_order_without_repeats_and_cleans_the_body(alice: Any) -> None:
    moment, _ = moment_log(
        author=alice,
        states=["freeze", "fawn", "freeze"],
        body=[{"region": "chest", "sensations": ["tight", "tight", "drop"], "intensity": 7}],
    )
    moment.refresh_from_db()
    assert moment.states == ["freeze", "fawn"]
    assert moment.body == [{"region": "chest", "sensations": ["tight", "drop"], "intensity": 7}]


def test_the_database_refuses_an_intensity_out_of_range_even_past_the_service(alice: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MomentFactory(author=alice, intensity=11)


# ---- Idempotency -------------------------------------------------------------------------


def test_a_retried_key_with_the_same_body_returns_the_same_moment(alice: Any) -> None:
    when = timezone.now() - dt.timedelta(minutes=3)
    first, created = moment_log(
        author=alice, idempotency_key="k-1", states=["flight"], cue="date night", occurred_at=when
    )
    again, created_again = moment_log(
        author=alice, idempotency_key="k-1", states=["flight"], cue="date night", occurred_at=when
    )
    assert created and not created_again
    assert again.id == first.id
    assert Moment.objects.count() == 1
    assert AuditEvent.objects.filter(action="journal.moment.log").count() == 1


def test_a_reused_key_with_a_different_body_is_a_conflict(alice: Any) -> None:
    moment_log(author=alice, idempotency_key="k-1", states=["flight"])
    with pytest.raises(IdempotencyConflict):
        moment_log(author=alice, idempotency_key="k-1", states=["fight"])
    assert Moment.objects.count() == 1


def test_the_same_key_from_two_people_makes_two_moments(alice: Any, bob: Any) -> None:
    a, _ = moment_log(author=alice, idempotency_key="same", states=["flight"])
    b, created = moment_log(author=bob, idempotency_key="same", states=["flight"])
    assert created and a.id != b.id


def test_the_request_hash_is_keyed_and_does_not_reveal_the_words(alice: Any) -> None:
    import hashlib

    moment, _ = moment_log(author=alice, idempotency_key="k", cue="a", states=[])
    assert len(moment.request_hash) == 64
    assert moment.request_hash not in {
        hashlib.sha256(b'{"cue":"a","states":[]}').hexdigest(),
        hashlib.sha256(b"a").hexdigest(),
    }


def test_it_refuses_an_unusable_idempotency_key(alice: Any) -> None:
    with pytest.raises(ValidationError):
        moment_log(author=alice, idempotency_key="x" * 101, states=["fight"])
    with pytest.raises(ValidationError):
        moment_log(author=alice, idempotency_key="line\nbreak", states=["fight"])
    assert Moment.objects.count() == 0


# ---- Update, delete, restore ---------------------------------------------------------------


def test_an_update_changes_only_the_given_fields_and_marks_the_moment_edited(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], cue="the cue")
    moment_update(actor=alice, moment=moment, intensity_after=2, helped="a slow breath")
    moment.refresh_from_db()
    assert moment.edited
    assert (moment.cue, moment.states, moment.intensity_after, moment.helped) == (
        "the cue",
        ["fight"],
        2,
        "a slow breath",
    )
    event = AuditEvent.objects.get(action="journal.moment.update")
    assert event.meta == {"fields": ["helped", "intensity_after"]}
    assert event.target_id == str(moment.id)


def test_an_update_that_changes_nothing_is_not_an_edit(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    moment_update(actor=alice, moment=moment, states=["fight"])
    moment.refresh_from_db()
    assert not moment.edited


def test_an_update_may_not_remove_both_the_cue_and_every_state(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    with pytest.raises(ValidationError):
        moment_update(actor=alice, moment=moment, states=[])
    moment.refresh_from_db()
    assert moment.states == ["fight"]


def test_only_the_author_may_change_a_moment(alice: Any, mallory: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    with pytest.raises(PermissionDenied):
        moment_update(actor=mallory, moment=moment, cue="mine now")
    with pytest.raises(PermissionDenied):
        moment_delete(actor=mallory, moment=moment)


def test_a_deleted_moment_disappears_and_comes_back_with_undo(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    moment_delete(actor=alice, moment=moment)
    assert list(moments_of(viewer=alice)) == []
    with pytest.raises(Http404):
        moment_for(viewer=alice, id=moment.id)
    moment_restore(actor=alice, moment=moment_for(viewer=alice, id=moment.id, deleted=True))
    assert moment_for(viewer=alice, id=moment.id).id == moment.id
    actions = list(
        AuditEvent.objects.filter(action__startswith="journal.")
        .order_by("at")
        .values_list("action", flat=True)
    )
    assert actions == ["journal.moment.log", "journal.moment.delete", "journal.moment.restore"]


def test_undo_expires_and_the_purge_then_erases_the_moment(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    moment_delete(actor=alice, moment=moment)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        with pytest.raises(RestoreExpired):
            moment_restore(actor=alice, moment=moment)
        assert moments_purge_deleted() == 1
    assert not Moment.objects.filter(id=moment.id).exists()


def test_the_purge_leaves_recent_deletes_and_live_moments_alone(alice: Any) -> None:
    moment_log(author=alice, states=["fight"])
    recent, _ = moment_log(author=alice, states=["flight"])
    moment_delete(actor=alice, moment=recent)
    assert moments_purge_deleted() == 0
    assert Moment.objects.count() == 2


# ---- Selectors ---------------------------------------------------------------------------


def test_people_see_only_their_own_moments(alice: Any, bob: Any, carol: Any, mallory: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    assert list(moments_of(viewer=alice)) == [moment]
    for other in (bob, carol, mallory):
        assert list(moments_of(viewer=other)) == []
        with pytest.raises(Http404):
            moment_for(viewer=other, id=moment.id)
        with pytest.raises(Http404):
            moment_for(viewer=other, id=moment.id, deleted=True)


def test_moments_come_newest_first(alice: Any) -> None:
    now = timezone.now()
    old, _ = moment_log(author=alice, states=["fight"], occurred_at=now - dt.timedelta(days=2))
    new, _ = moment_log(author=alice, states=["fight"], occurred_at=now - dt.timedelta(hours=1))
    assert list(moments_of(viewer=alice)) == [new, old]


def test_a_malformed_id_is_simply_not_found(alice: Any) -> None:
    with pytest.raises(Http404):
        moment_for(viewer=alice, id="not-a-uuid")


# ---- Privacy at rest ------------------------------------------------------------------------


def test_what_a_person_writes_is_encrypted_at_rest_and_never_audited(alice: Any) -> None:
    from django.db import connection

    canary = "CANARY-at-rest-91c2"
    moment, _ = moment_log(
        author=alice,
        idempotency_key="k",
        cue=canary,
        story=canary,
        helped=canary,
        states=["fight"],
    )
    moment_update(actor=alice, moment=moment, notes=canary)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cue, story, helped, notes FROM journal_moment")
        row = cursor.fetchone()
    assert all(canary.encode() not in bytes(value) for value in row)
    assert canary not in str(list(AuditEvent.objects.values_list("meta", flat=True)))
    assert Moment.objects.get(id=moment.id).notes == canary


def test_the_minute_tick_purges_expired_deletes(alice: Any) -> None:
    from tend.core.tasks import tick_hooks
    from tend.journal import tasks

    hook = tick_hooks()["tend.journal.tasks.purge_deleted_moments"]
    assert hook is tasks.purge_deleted_moments
    moment, _ = moment_log(author=alice, states=["fight"])
    moment_delete(actor=alice, moment=moment)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        hook()
    assert not Moment.objects.filter(id=moment.id).exists()


def test_the_personal_export_holds_my_moments_and_only_mine(alice: Any, bob: Any) -> None:
    from tend.accounts.export import collect_export

    moment, _ = moment_log(author=alice, states=["fight"], cue="my words")
    moment_log(author=bob, states=["flight"], cue="bob's words")
    exported = collect_export(user=alice)["moments"]
    assert [m["id"] for m in exported] == [str(moment.id)]
    assert exported[0]["cue"] == "my words" and exported[0]["states"] == ["fight"]


def test_an_update_of_every_field_at_once_is_stored_and_audited(alice: Any) -> None:
    # The changed field names once went into the audit as one joined string, which the audit
    # refused past 100 characters: an edit of nearly every field failed.
    moment, _ = moment_log(author=alice, states=["fight"], cue="the cue")
    changes = {
        "kind": "glimmer",
        "cue": "a warm hand",
        "states": ["connected"],
        "intensity": 4,
        "body": [{"region": "chest", "sensations": ["warm"], "intensity": 3}],
        "story": "s",
        "part": "p",
        "needs": ["not_enough"],
        "contexts": ["at_home"],
        "urge": "u",
        "action": "a",
        "helped": "h",
        "intensity_after": 1,
        "minutes_to_settle": 5,
        "notes": "n",
    }
    moment_update(actor=alice, moment=moment, **changes)
    event = AuditEvent.objects.get(action="journal.moment.update")
    assert sorted(event.meta["fields"]) == sorted(changes)
