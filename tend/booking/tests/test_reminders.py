"""Reminders of booked calls: both parties, each offset, exactly once, replaced and stopped."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connections

from tend.accounts.models import User
from tend.booking import reminders
from tend.booking.models import BookingReminder, CallType
from tend.booking.services import booking_cancel, booking_reschedule
from tend.booking.tests.factories import INTAKE, book, days_ahead, default_call, local, practitioner

CANARY = "CANARY-reminder-intake-a81e"


@pytest.fixture
def call(carol: User) -> CallType:
    practitioner(carol)
    return default_call(carol)


def test_a_booking_plans_a_reminder_per_offset_for_each_party(call: CallType) -> None:
    start = local(days_ahead(), 10)
    booking, _secret = book(call, start)
    rows = BookingReminder.objects.filter(booking=booking)
    assert sorted((r.recipient, r.due_at) for r in rows) == sorted(
        (who, start - dt.timedelta(minutes=offset))
        for who in ("booker", "practitioner")
        for offset in (1440, 60)
    )


def test_due_reminders_say_when_and_with_whom_and_never_the_intake(
    carol: User, call: CallType
) -> None:
    start = local(days_ahead(), 10)
    book(call, start, name="Sam", intake={**INTAKE, "what_brings": CANARY})
    counts = reminders.deliver_due(now=start - dt.timedelta(minutes=30))
    assert counts == {"sent": 4}
    to_booker = [m for m in mail.outbox if m.to == ["visitor@example.test"]]
    to_carol = [m for m in mail.outbox if m.to == [carol.email]]
    assert len(to_booker) == len(to_carol) == 2
    assert "with Carol" in to_booker[0].subject and "New York time" in to_booker[0].body
    assert "with Sam" in to_carol[0].subject and "Berlin time" in to_carol[0].body
    assert all(CANARY not in m.body + m.subject for m in mail.outbox)
    # Nothing is sent twice.
    assert reminders.deliver_due(now=start - dt.timedelta(minutes=20)) == {}


def test_after_a_move_only_the_new_time_is_reminded(call: CallType) -> None:
    day = days_ahead()
    booking, _secret = book(call, local(day, 10))
    booking_reschedule(booking=booking, start=local(day, 15), by="booker")
    rows = BookingReminder.objects.filter(booking=booking)
    assert {r.for_start for r in rows} == {local(day, 15)}
    reminders.deliver_due(now=local(day, 14, 30))
    assert len(mail.outbox) == 4
    assert all("15:00" in m.body or "09:00" in m.body for m in mail.outbox)  # Berlin / New York


def test_after_a_cancel_no_reminder_is_sent(call: CallType) -> None:
    start = local(days_ahead(), 10)
    booking, _secret = book(call, start)
    booking_cancel(booking=booking, by="booker")
    assert reminders.deliver_due(now=start - dt.timedelta(minutes=30)) == {}
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_and_one_killed_mid_batch_send_each_reminder_exactly_once(
    carol: User,
) -> None:
    practitioner(carol)
    call = default_call(carol)
    call.reminder_offsets = [1500, 1440]
    call.save()
    day = days_ahead()
    for n in range(16):
        book(call, local(day, 9) + dt.timedelta(minutes=30 * n), email=f"v{n}@example.test")
    total = BookingReminder.objects.count()
    assert total == 16 * 2 * 2
    mail.outbox.clear()  # the confirmations
    now = local(day, 8, 30)
    # A worker claims a batch and dies before sending any of it.
    dead = reminders.claim_batch(now=now, limit=20)
    assert len(dead) == 20
    errors: list[BaseException] = []
    sent_by: dict[str, int] = {}
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            barrier.wait()
            sent_by[name] = reminders.deliver_due(now=now).get("sent", 0)
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
    assert sum(sent_by.values()) == total - 20  # the dead worker's rows wait for the lease
    # After the lease the dead worker's rows are taken by a live one.
    later = now + reminders.LEASE + dt.timedelta(minutes=1)
    assert reminders.deliver_due(now=later) == {"sent": 20}
    assert BookingReminder.objects.filter(sent_at=None).count() == 0
    assert len(mail.outbox) == total
    _no_duplicates(mail.outbox)
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == total


@pytest.mark.django_db(transaction=True)
def test_a_repeat_after_a_worker_died_between_send_and_record_is_the_same_message(
    call: CallType, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = local(days_ahead(), 10)
    book(call, start)
    mail.outbox.clear()
    now = start - dt.timedelta(minutes=30)
    # The first worker sends, then dies before it records sent_at.
    claimed = reminders.claim_batch(now=now, limit=1)
    reminders.send(claimed[0])
    first = mail.outbox[-1]
    # After the lease another worker takes the row and sends it again: the one repeat the
    # module names, which carries the same Message-ID.
    later = now + reminders.LEASE + dt.timedelta(minutes=1)
    assert reminders.deliver_due(now=later) == {"sent": 4}
    repeats = [
        m for m in mail.outbox if m.extra_headers["Message-ID"] == first.extra_headers["Message-ID"]
    ]
    assert len(repeats) == 2 and repeats[0].body == repeats[1].body
    assert first.extra_headers["Message-ID"].startswith(f"<booking-reminder.{claimed[0].id}@")


def _no_duplicates(outbox: list[Any]) -> None:
    # The same person gets two reminders per call (two offsets) with the same words, so count
    # per (recipient, body) and expect exactly two each.
    seen: dict[tuple[str, str], int] = {}
    for message in outbox:
        key = (message.to[0], message.body)
        seen[key] = seen.get(key, 0) + 1
    assert set(seen.values()) == {2}
