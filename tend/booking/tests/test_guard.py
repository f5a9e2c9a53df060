"""Exactly one booking per time: the guard in ``booking_create`` and the database behind it."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from tend.accounts.models import User
from tend.booking.models import Booking, CallType
from tend.booking.services import (
    MAX_OPEN_PER_EMAIL,
    SlotError,
    SlotTaken,
    profile_turn_off,
)
from tend.booking.tests.factories import (
    INTAKE,
    book,
    call_type,
    days_ahead,
    default_call,
    local,
    practitioner,
)

CANARY = "CANARY-intake-7f3e"


@pytest.fixture
def carol_offers(carol: User) -> CallType:
    practitioner(carol)
    return default_call(carol)


def test_a_free_slot_is_booked_with_the_intake_encrypted_under_the_practitioners_key(
    carol: User, carol_offers: CallType
) -> None:
    start = local(days_ahead(), 10)
    intake = {"relationship": "open", "what_brings": CANARY, "states": ["fawn"], "intensity": "7"}
    booking, secret = book(carol_offers, start, intake=intake)

    stored = Booking.objects.get(id=booking.id)
    assert stored.start == start and stored.end == start + dt.timedelta(minutes=30)
    assert json.loads(stored.intake)["moment"] == {"states": ["fawn"], "intensity": 7}
    assert len(secret) >= 43  # 256 bits, URL-safe
    with connection.cursor() as cursor:
        cursor.execute("SELECT intake, booker_email FROM booking_booking")
        raw = b"".join(bytes(value) for value in cursor.fetchone())
    assert CANARY.encode() not in raw
    assert b"visitor@example.test" not in raw


def test_a_taken_slot_is_refused_with_the_nearest_free_times(carol_offers: CallType) -> None:
    start = local(days_ahead(), 10)
    book(carol_offers, start)
    with pytest.raises(SlotTaken) as refused:
        book(carol_offers, start, email="second@example.test")
    assert refused.value.nearest
    assert start not in refused.value.nearest
    assert all(abs(t - start) <= dt.timedelta(hours=1) for t in refused.value.nearest[:2])
    assert Booking.objects.count() == 1


def test_a_60_minute_call_overlapping_a_30_minute_one_is_refused(
    carol: User, carol_offers: CallType
) -> None:
    longer = call_type(carol, duration_minutes=60)
    day = days_ahead()
    book(carol_offers, local(day, 10, 30))
    with pytest.raises(SlotTaken):
        book(longer, local(day, 10), email="second@example.test")
    # Right after it, the hour is free.
    book(longer, local(day, 11), email="third@example.test")
    assert Booking.objects.count() == 2


def test_buffers_keep_the_next_call_away(carol: User, carol_offers: CallType) -> None:
    buffered = call_type(carol, duration_minutes=30, buffer_after_minutes=15)
    day = days_ahead()
    book(buffered, local(day, 10))
    with pytest.raises(SlotTaken):
        book(carol_offers, local(day, 10, 30), email="second@example.test")
    book(carol_offers, local(day, 11), email="third@example.test")


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(lambda: local(days_ahead(), 7), id="outside-hours"),
        pytest.param(lambda: local(days_ahead(), 10, 10), id="misaligned"),
        pytest.param(lambda: local(days_ahead(-1), 10), id="in-the-past"),
        pytest.param(lambda: local(days_ahead(0), 23), id="within-notice"),
        pytest.param(lambda: local(days_ahead(90), 10), id="beyond-horizon"),
    ],
)
def test_a_time_that_is_not_offered_is_refused_and_nothing_is_stored(
    carol_offers: CallType, when: Any
) -> None:
    with pytest.raises(SlotError) as refused:
        book(carol_offers, when())
    assert not isinstance(refused.value, SlotTaken)
    assert Booking.objects.count() == 0


def test_missing_consent_or_a_bad_email_stores_nothing_and_names_the_field(
    carol_offers: CallType,
) -> None:
    carol_offers.consents = ["I understand this call is not therapy."]
    carol_offers.save()
    start = local(days_ahead(), 10)
    with pytest.raises(ValidationError) as refused:
        book(carol_offers, start, consents_ticked=[])
    assert "consents" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        book(carol_offers, start, email="not-an-address")
    assert "email" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        book(carol_offers, start, intake={"relationship": "open", "what_brings": "x" * 2001})
    assert "what_brings" in refused.value.message_dict
    assert Booking.objects.count() == 0
    booking, _secret = book(carol_offers, start)
    assert booking.consents[0]["text"] == "I understand this call is not therapy."


def test_one_address_may_hold_only_a_few_open_bookings_with_one_practitioner(
    carol_offers: CallType,
) -> None:
    day = days_ahead()
    for n in range(MAX_OPEN_PER_EMAIL):
        book(carol_offers, local(day, 10 + n), email="Same@Example.test")
    with pytest.raises(ValidationError) as refused:
        book(carol_offers, local(day, 15), email="same@example.test")
    assert "email" in refused.value.message_dict


def test_a_cancelled_booking_frees_its_time(carol_offers: CallType) -> None:
    start = local(days_ahead(), 10)
    first, _secret = book(carol_offers, start)
    Booking.objects.filter(id=first.id).update(status=Booking.Status.CANCELLED)
    book(carol_offers, start, email="second@example.test")


def test_turning_the_profile_off_stops_bookings_and_keeps_booked_calls(
    carol: User, carol_offers: CallType
) -> None:
    book(carol_offers, local(days_ahead(), 10))
    profile_turn_off(actor=carol)
    with pytest.raises(ValidationError):
        book(carol_offers, local(days_ahead(), 12), email="second@example.test")
    assert Booking.objects.count() == 1


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_transactions_take_the_write_lock_at_once() -> None:
    # The SQLite guard relies on BEGIN IMMEDIATE: the overlap check then runs under the lock.
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_overlapping_blocks_even_without_the_check(carol: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    practitioner(carol)
    short, longer = default_call(carol), call_type(carol, duration_minutes=60)
    start = local(days_ahead(), 10)
    book(short, start + dt.timedelta(minutes=30))
    row = Booking(
        practitioner=carol,
        call_type=longer,
        start=start,
        end=start + dt.timedelta(hours=1),
        block_start=start,
        block_end=start + dt.timedelta(hours=1),
        booker_name="x",
        booker_email="x@example.test",
        booker_email_digest="x",
        booker_zone="UTC",
        manage_secret_hash="y" * 64,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save(force_insert=True)


def _race(calls_and_starts: list[tuple[CallType, dt.datetime]]) -> dict[str, int]:
    """Run one booking per entry, all released at once, each thread on its own connection."""
    barrier = threading.Barrier(len(calls_and_starts))
    outcomes: dict[str, int] = {"booked": 0, "taken": 0}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def attempt(n: int, call: CallType, start: dt.datetime) -> None:
        try:
            barrier.wait()
            try:
                book(call, start, email=f"racer{n}@example.test")
                result = "booked"
            except SlotTaken:
                result = "taken"
            with lock:
                outcomes[result] += 1
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(n, call, start))
        for n, (call, start) in enumerate(calls_and_starts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_hundred_threads_racing_for_one_slot_book_it_exactly_once(carol: User) -> None:
    practitioner(carol)
    start = local(days_ahead(), 10)
    outcomes = _race([(default_call(carol), start)] * 100)
    assert outcomes == {"booked": 1, "taken": 99}
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_hundred_threads_racing_for_overlapping_30_and_60_minute_slots_book_one(
    carol: User,
) -> None:
    practitioner(carol)
    short, longer = default_call(carol), call_type(carol, duration_minutes=60)
    day = days_ahead()
    # 10:00 for an hour overlaps 10:00 and 10:30 for half an hour; whichever wins first
    # excludes the 60-minute call, and the 60-minute call excludes both.
    entries = [(longer, local(day, 10))] * 50 + [(short, local(day, 10, 30))] * 50
    outcomes = _race(entries)
    rows = list(Booking.objects.order_by("start"))
    assert outcomes["booked"] == len(rows) == 1
    assert outcomes["taken"] == 99


def test_the_practitioners_own_questions_are_checked_and_stored(carol_offers: CallType) -> None:
    carol_offers.questions = [
        {"key": "q1", "label": "How did you hear of me?", "kind": "one",
         "choices": ["A friend", "A search"], "required": True},
    ]  # fmt: skip
    carol_offers.save()
    start = local(days_ahead(), 10)
    with pytest.raises(ValidationError) as refused:
        book(carol_offers, start)
    assert "q_q1" in refused.value.message_dict
    with pytest.raises(ValidationError):
        book(carol_offers, start, intake={**INTAKE, "q_q1": "A billboard"})
    booking, _secret = book(carol_offers, start, intake={**INTAKE, "q_q1": "A friend"})
    assert json.loads(booking.intake)["questions"] == {"q1": "A friend"}
