"""The practitioner's calls: list, filters, pages, intake, notes, marks, cancel and move."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.db import connection

from tend.accounts.models import User
from tend.booking.models import Booking, CallType
from tend.booking.tests.factories import book, days_ahead, default_call, iso, local, practitioner
from tend.conftest import client_for

CANARY = "CANARY-calls-notes-33f0"


@pytest.fixture
def call(carol: User) -> CallType:
    practitioner(carol)
    return default_call(carol)


def test_the_list_shows_upcoming_calls_in_pages_and_filters_past_and_cancelled(
    carol: User, call: CallType
) -> None:
    day = days_ahead()
    made = []
    for n in range(25):
        start = local(day + dt.timedelta(days=n // 10), 9) + dt.timedelta(minutes=30 * (n % 10))
        made.append(book(call, start, email=f"v{n}@example.test", name=f"Person {n:02d}")[0])
    Booking.objects.filter(id=made[0].id).update(status="cancelled")
    past = made[1]
    Booking.objects.filter(id=past.id).update(
        start=past.start - dt.timedelta(days=30),
        end=past.end - dt.timedelta(days=30),
        block_start=past.start - dt.timedelta(days=30),
        block_end=past.end - dt.timedelta(days=30),
        status="attended",
    )
    client = client_for(carol)
    first_page = client.get("/booking/calls/").content.decode()
    assert first_page.count('data-status="') == 20
    assert "Person 02" in first_page and "Person 01" not in first_page
    assert "Page 1 of 2" in first_page
    second_page = client.get("/booking/calls/", {"page": 2}).content.decode()
    assert second_page.count('data-status="') == 4
    past_page = client.get("/booking/calls/", {"when": "past"}).content.decode()
    assert "Person 01" in past_page and past_page.count('data-status="') == 1
    cancelled = client.get("/booking/calls/", {"status": "cancelled"}).content.decode()
    assert "Person 00" in cancelled and cancelled.count('data-status="') == 1


def test_a_call_shows_its_intake_and_private_notes_are_encrypted(
    carol: User, call: CallType
) -> None:
    booking, _secret = book(
        call,
        local(days_ahead(), 10),
        intake={
            "relationship": "polyamorous",
            "what_brings": "Jealousy at dinner",
            "states": ["fawn"],
            "region": "chest",
            "intensity": 7,
        },
    )
    client = client_for(carol)
    page = client.get(f"/booking/calls/{booking.id}/").content.decode()
    for words in ("Polyamorous", "Jealousy at dinner", "Fawn", "Chest", "7"):
        assert words in page
    response = client.post(f"/booking/calls/{booking.id}/notes/", {"notes": CANARY})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.notes == CANARY
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM booking_booking")
        (stored,) = cursor.fetchone()
    assert stored and CANARY.encode() not in bytes(stored)


def test_a_call_can_be_marked_once_it_has_started(carol: User, call: CallType) -> None:
    booking, _secret = book(call, local(days_ahead(), 10))
    client = client_for(carol)
    client.post(f"/booking/calls/{booking.id}/mark/", {"status": "no_show"})
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # not yet started
    back = dt.timedelta(days=10)
    Booking.objects.filter(id=booking.id).update(
        start=booking.start - back,
        end=booking.end - back,
        block_start=booking.start - back,
        block_end=booking.end - back,
    )
    client.post(f"/booking/calls/{booking.id}/mark/", {"status": "no_show"})
    booking.refresh_from_db()
    assert booking.status == "no_show"


def test_the_practitioner_cancels_and_the_booker_is_told(
    carol: User, call: CallType, django_capture_on_commit_callbacks: Any
) -> None:
    booking, _secret = book(call, local(days_ahead(), 10))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(carol).post(f"/booking/calls/{booking.id}/cancel/", {"reason": "Unwell"})
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == "practitioner"
    to_booker = next(m for m in mail.outbox if m.to == ["visitor@example.test"])
    assert "had to cancel" in to_booker.body
    cal = icalendar.Calendar.from_ical(to_booker.attachments[0][1])
    assert cal["method"] == "CANCEL"


def test_the_practitioner_moves_a_call_and_the_booker_gets_the_new_time_and_link(
    carol: User, call: CallType, django_capture_on_commit_callbacks: Any
) -> None:
    day = days_ahead()
    booking, old_secret = book(call, local(day, 10))
    client = client_for(carol)
    assert client.get(f"/booking/calls/{booking.id}/move/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/booking/calls/{booking.id}/move/", {"start": iso(local(day, 15))})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == local(day, 15) and booking.sequence == 1
    to_booker = next(m for m in mail.outbox if m.to == ["visitor@example.test"])
    assert "/book/manage/" in to_booker.body and old_secret not in to_booker.body
    assert client_for(None).get(f"/book/manage/{old_secret}/").status_code == 404
