"""A suggestion's reminders: at most one per occurrence, never in quiet hours, and content-free;
and its words (the note, a custom practice) in no log, email, push message or table in the clear.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.test import TestCase

from tend.accounts.models import User
from tend.coaching.models import Suggestion
from tend.coaching.suggestions import plan_reminders, suggestion_create, suggestion_decline
from tend.coaching.tests.test_handover import _assert_nowhere_in_the_database
from tend.connections.models import Connection
from tend.connections.tests.factories import connect
from tend.notifications.delivery import deliver_due
from tend.notifications.models import Notification, Preferences, PushSubscription, Reminder
from tend.practices.services import custom_practice_create

NOTE = "CANARY-homework-note-5d2e"
OWN = "CANARY-homework-practice-9b1c"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def coached(alice: User, carol: User) -> Connection:
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    carol.display_name = "Dana"
    carol.save(update_fields=["display_name"])
    return connect(carol, alice, kind="practitioner")


@pytest.fixture
def pushed(alice: User, monkeypatch: Any) -> list[dict[str, Any]]:
    import pywebpush

    PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.test/a", p256dh="k", auth="a"
    )
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(pywebpush, "webpush", lambda **kwargs: calls.append(kwargs))
    return calls


def weekly(carol: User, connection: Connection) -> Suggestion:
    custom = custom_practice_create(
        author=carol, name=OWN, steps=f"Breathe out slowly {OWN}", pattern=[4, 0, 6, 0]
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        return suggestion_create(
            actor=carol,
            connection=connection,
            practice=f"custom:{custom.id}",
            rhythm="weekly",
            days=["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
            note=NOTE,
        )


def tomorrow_at_nine(suggestion: Suggestion) -> dt.datetime:
    day = suggestion.starts_on + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9), tzinfo=BERLIN)


def test_one_reminder_per_occurrence_held_through_quiet_hours_and_content_free(
    alice: User, carol: User, coached: Connection, pushed: list[dict[str, Any]], caplog: Any
) -> None:
    caplog.set_level("DEBUG")
    made = weekly(carol, coached)
    deliver_due()  # the notice that it was suggested (already sent by the queued task)
    assert len(mail.outbox) == 1
    Preferences.objects.create(user=alice, quiet_start=dt.time(8), quiet_end=dt.time(10))
    due = tomorrow_at_nine(made)
    # The planner runs on every tick of every worker: one reminder for the occurrence.
    for minutes in (-600, -60, -10, 0):
        plan_reminders(now=due + dt.timedelta(minutes=minutes))
    ours = Reminder.objects.filter(recipient=alice, dedupe_key__startswith=f"suggestion:{made.id}")
    occurrence = ours.filter(due_at=due)
    assert occurrence.count() == 1
    # The next day's occurrence (26 hours ahead) has its own one, and only one.
    by_time = [r.due_at for r in ours.exclude(dedupe_key__endswith=":new")]
    assert len(by_time) == len(set(by_time)) == 2
    # 09:00 is inside alice's quiet hours (08:00 to 10:00 in Berlin): held, nothing sent.
    sent_before = len(mail.outbox)
    assert deliver_due(now=due) == {"quiet": 1}
    assert occurrence.get().sent_at is None
    assert len(mail.outbox) == sent_before
    assert deliver_due(now=due + dt.timedelta(minutes=30)) == {}
    # At 10:00 it goes, once.
    assert deliver_due(now=dt.datetime.combine(due.date(), dt.time(10, 1), tzinfo=BERLIN)) == {
        "sent": 1
    }
    assert occurrence.get().sent_at is not None
    plan_reminders(now=due + dt.timedelta(hours=2))
    assert occurrence.count() == 1
    # Content-free everywhere: no practice, no note, no name.
    words = [m.subject + m.body + str(m.alternatives) for m in mail.outbox]
    words += [
        json.dumps(c["data"]) if not isinstance(c["data"], str) else c["data"] for c in pushed
    ]
    words += [n.code + n.link for n in Notification.objects.filter(recipient=alice)]
    words += [r.getMessage() for r in caplog.records]
    assert pushed, "the reminder went to the push device too"
    for text in words:
        for secret in (NOTE, OWN, "Dana", "Breathe"):
            assert secret not in text
    assert any("suggestion" in m.subject.lower() for m in mail.outbox)
    _assert_nowhere_in_the_database(NOTE)
    _assert_nowhere_in_the_database(OWN)


def test_a_suggestion_once_has_only_its_notice_and_setting_it_aside_cancels_what_is_planned(
    alice: User, carol: User, coached: Connection
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        once = suggestion_create(actor=carol, connection=coached, practice="long_exhale")
    plan_reminders()
    assert Reminder.objects.filter(dedupe_key__startswith=f"suggestion:{once.id}").count() == 1
    made = weekly(carol, coached)
    due = tomorrow_at_nine(made)
    plan_reminders(now=due - dt.timedelta(hours=1))
    suggestion_decline(actor=alice, suggestion=made)
    pending = Reminder.objects.filter(
        dedupe_key__startswith=f"suggestion:{made.id}", sent_at=None, dropped_at=None
    )
    assert not pending.exists()
    plan_reminders(now=due - dt.timedelta(minutes=30))
    assert not pending.exists()


def test_a_suggestion_deleted_with_its_custom_practice_leaves_no_reminder(
    alice: User, carol: User, coached: Connection
) -> None:
    made = weekly(carol, coached)
    plan_reminders(now=tomorrow_at_nine(made) - dt.timedelta(hours=1))
    pending = Reminder.objects.filter(
        dedupe_key__startswith=f"suggestion:{made.id}:", sent_at=None, dropped_at=None
    )
    assert pending.exclude(dedupe_key__endswith=":new").exists()
    # Deleting the practice cascades to the suggestion, past the withdraw service.
    assert made.custom_practice is not None
    made.custom_practice.delete()
    assert not Suggestion.objects.filter(id=made.id).exists()
    assert not pending.exists()
    assert deliver_due(now=tomorrow_at_nine(made) + dt.timedelta(hours=2)).get("sent", 0) == 0
