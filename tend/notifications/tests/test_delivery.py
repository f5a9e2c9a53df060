"""Reminders are claimed once, wait out quiet hours, retry with backoff and go stale."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from tend.accounts.models import User
from tend.notifications import delivery
from tend.notifications.delivery import LEASE, STALE_AFTER, claim_batch, deliver_due, deliver_one
from tend.notifications.models import Notification, Preferences, Reminder
from tend.notifications.services import notify, reminder_schedule

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _due(user: User, n: int, at: dt.datetime = NOW) -> None:
    Reminder.objects.bulk_create(
        Reminder(
            recipient=user, code="checkin.due", dedupe_key=f"t:{i}", due_at=at, next_attempt_at=at
        )
        for i in range(n)
    )


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record each external send (email + push) by reminder id, as a real channel would see it."""
    sent: list[Any] = []
    lock = threading.Lock()

    def record(reminder: Reminder, prefs: Any) -> None:
        with lock:
            sent.append(reminder.id)

    monkeypatch.setattr(delivery, "send_external", record)
    return sent


def test_a_due_reminder_is_sent_as_a_content_free_email_and_an_in_app_notice(alice: User) -> None:
    reminder_schedule(recipient=alice, code="checkin.due", key="k", due_at=NOW, link="/rituals/")
    assert deliver_due(now=NOW) == {"sent": 1}
    [email] = mail.outbox
    assert email.subject == "You have a check-in today."
    assert "You have a check-in today." in email.body
    html = email.alternatives[0][0]
    assert "You have a check-in today." in html
    assert Notification.objects.get(recipient=alice).code == "checkin.due"
    assert deliver_due(now=NOW + dt.timedelta(minutes=5)) == {}


def test_scheduling_the_same_key_twice_makes_one_reminder(alice: User) -> None:
    assert reminder_schedule(recipient=alice, code="ritual.due", key="same", due_at=NOW)
    assert not reminder_schedule(recipient=alice, code="ritual.due", key="same", due_at=NOW)
    assert Reminder.objects.count() == 1


def test_a_reminder_in_quiet_hours_waits_until_they_end_in_the_persons_own_time_zone(
    alice: User, sends: list[Any]
) -> None:
    # 23:30 in Berlin (CET, UTC+1) is 22:30 UTC; quiet 22:00-07:00 ends 06:00 UTC.
    alice.time_zone = "Europe/Berlin"
    alice.save()
    Preferences.objects.create(user=alice, quiet_start=dt.time(22), quiet_end=dt.time(7))
    late = dt.datetime(2026, 1, 15, 22, 30, tzinfo=dt.UTC)
    _due(alice, 1, at=late)
    assert deliver_due(now=late) == {"quiet": 1}
    assert sends == []
    assert Notification.objects.filter(recipient=alice).count() == 1  # silent, in-app
    reminder = Reminder.objects.get()
    assert reminder.next_attempt_at == dt.datetime(2026, 1, 16, 6, 0, tzinfo=dt.UTC)
    assert deliver_due(now=dt.datetime(2026, 1, 16, 5, 59, tzinfo=dt.UTC)) == {}
    assert deliver_due(now=dt.datetime(2026, 1, 16, 6, 1, tzinfo=dt.UTC)) == {"sent": 1}
    assert len(sends) == 1
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_a_reminder_more_than_six_hours_late_is_dropped_not_sent(
    alice: User, sends: list[Any]
) -> None:
    _due(alice, 1)
    assert deliver_due(now=NOW + STALE_AFTER + dt.timedelta(minutes=1)) == {"stale": 1}
    assert sends == []
    assert Reminder.objects.get().drop_reason == "stale"


def test_a_reminder_that_fell_due_while_the_worker_was_down_is_sent_once_on_start(
    alice: User, sends: list[Any]
) -> None:
    _due(alice, 1)
    assert deliver_due(now=NOW + dt.timedelta(hours=5)) == {"sent": 1}
    assert deliver_due(now=NOW + dt.timedelta(hours=5, minutes=1)) == {}
    assert len(sends) == 1


def test_a_failed_send_is_retried_with_backoff_then_dropped(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[dt.datetime] = []

    def fail(reminder: Reminder, prefs: Any) -> None:
        attempts.append(reminder.next_attempt_at)
        raise ConnectionError("mail server down")

    monkeypatch.setattr(delivery, "send_external", fail)
    _due(alice, 1)
    when = NOW
    outcomes = []
    for _ in range(10):
        result = deliver_due(now=when)
        outcomes.extend(result)
        reminder = Reminder.objects.get()
        if reminder.dropped_at:
            break
        when = reminder.next_attempt_at
    gaps = [int((b - a).total_seconds() // 60) for a, b in itertools.pairwise(attempts)]
    assert gaps == [1, 5, 15, 60, 180]
    assert Reminder.objects.get().drop_reason == "failed"
    assert outcomes[-1] == "failed"


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing_after_restart(
    alice: User, sends: list[Any]
) -> None:
    _due(alice, 100)
    # Worker A claims 50, delivers 20 and dies before the other 30.
    batch = claim_batch(now=NOW, limit=50)
    assert len(batch) == 50
    for reminder in batch[:20]:
        deliver_one(reminder, now=NOW)
    # Worker B starts at once: it takes the 50 nobody claimed, not A's 30 (A's lease holds).
    deliver_due(now=NOW + dt.timedelta(minutes=1))
    assert len(sends) == 70
    # Once A's lease has run out, its 30 are claimed again and sent.
    deliver_due(now=NOW + LEASE + dt.timedelta(minutes=2))
    assert len(sends) == 100
    assert len(set(sends)) == 100
    assert Reminder.objects.filter(sent_at=None).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_of_a_thousand_due_reminders_exactly_once(
    sends: list[Any],
) -> None:
    """Two threads, each with its own connection to the file SQLite database (or PostgreSQL).

    SQLite serialises the claiming UPDATEs (IMMEDIATE transactions, busy timeout); PostgreSQL
    re-checks the UPDATE's condition on each row another transaction changed. Either way each
    row carries exactly one worker's token.
    """
    user = User.objects.create_user("worker@example.test", "x")
    _due(user, 1000)
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    per_worker: dict[str, dict[str, int]] = {}

    def worker(name: str) -> None:
        try:
            start.wait()
            total: dict[str, int] = {}
            while True:
                counts = deliver_due(now=NOW, max_batches=1)
                if not counts:
                    break
                for key, value in counts.items():
                    total[key] = total.get(key, 0) + value
            per_worker[name] = total
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(sends) == 1000
    assert len(set(sends)) == 1000
    assert Reminder.objects.filter(sent_at=None).count() == 0
    # Both really worked (otherwise the test would prove nothing about concurrency).
    assert all(per_worker[n].get("sent", 0) > 0 for n in ("a", "b")), per_worker
    assert connection.vendor in {"sqlite", "postgresql"}


def test_notify_delivers_at_once_through_the_queue(
    alice: User, sends: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=alice, code="repair.pause", key="pause:1", link="/careplans/")
    assert len(sends) == 1
    assert Reminder.objects.get().sent_at is not None


def test_a_failing_push_device_does_not_send_the_email_again(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pywebpush

    from tend.notifications.models import PushSubscription

    device = PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.test/broken", p256dh="k", auth="a"
    )

    def broken(**kwargs: Any) -> None:
        raise ConnectionError("push service down")

    monkeypatch.setattr(pywebpush, "webpush", broken)
    _due(alice, 1)
    assert deliver_due(now=NOW).get("sent") == 1
    assert deliver_due(now=NOW + dt.timedelta(hours=1)) == {}
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().sent_at == NOW
    device.refresh_from_db()
    assert device.last_error_at is not None
