"""Confirmation emails with .ics, the manage link (move, cancel), and the calendar feed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from tend.accounts.models import User
from tend.booking.models import Booking, CallType
from tend.booking.services import SlotTaken, booking_by_secret, booking_reschedule
from tend.booking.tests.factories import INTAKE, book, days_ahead, default_call, local, practitioner
from tend.booking.words import when_words
from tend.conftest import client_for
from tend.rituals.services import feed_create

CANARY = "CANARY-manage-intake-5d2c"


@pytest.fixture
def call(carol: User) -> CallType:
    practitioner(carol)  # Europe/Berlin
    made = default_call(carol)
    made.location = "https://video.example.test/carol"
    made.save()
    return made


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """Run on-commit callbacks (the emails) at the end of a block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _book(commits: Any, call: CallType, start: dt.datetime, **kwargs: Any) -> tuple[Booking, str]:
    with commits():
        return book(call, start, intake={**INTAKE, "what_brings": CANARY}, **kwargs)


def _ics(message: Any) -> icalendar.Calendar:
    (name, content, mimetype) = message.attachments[0]
    content = content.encode() if isinstance(content, str) else content
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def _event(cal: icalendar.Calendar) -> Any:
    return next(c for c in cal.walk("VEVENT"))


def _link(message: Any) -> str:
    match = re.search(r"https?://[^/]+(/book/manage/[\w-]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_both_parties_get_an_email_with_an_ics_in_their_own_zone_and_language(
    commits: Any, carol: User, call: CallType, settings: Any
) -> None:
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]  # as once German is complete
    start = local(days_ahead(), 10)
    booking, _secret = _book(commits, call, start, language="de")
    to_booker, to_carol = mail.outbox
    assert to_booker.to == ["visitor@example.test"] and to_carol.to == [carol.email]
    assert "New York" in to_booker.body  # the booker's zone
    assert "Berlin" in to_carol.body  # the practitioner's
    # Day and month names in each one's language (Django ships German names for them).
    with translation.override("de"):
        in_german = when_words(start, "America/New_York")
    assert in_german in to_booker.body
    assert when_words(start, "Europe/Berlin") in to_carol.body  # carol reads English
    for message, zone in ((to_booker, "America/New_York"), (to_carol, "Europe/Berlin")):
        cal = _ics(message)
        assert cal["method"] == "REQUEST"
        event = _event(cal)
        assert str(event["uid"]) == f"{booking.id}@tend"
        assert event["sequence"] == 0
        assert event.decoded("dtstart") == start  # the same instant
        assert str(event.decoded("dtstart").tzinfo) == zone
        assert any(tz["tzid"] == zone for tz in cal.walk("VTIMEZONE"))
    assert "https://video.example.test/carol" in to_booker.body
    for message in mail.outbox:
        assert CANARY not in message.body
        assert CANARY not in str(message.attachments[0][1])


def test_moving_through_the_link_raises_the_sequence_and_only_the_new_link_works(
    commits: Any,
    call: CallType,
) -> None:
    day = days_ahead()
    booking, _secret = _book(commits, call, local(day, 10))
    link = _link(mail.outbox[0])
    mail.outbox.clear()
    visitor = Client()
    page = visitor.get(link + "move/")
    assert page.status_code == 200
    new_start = local(day, 14)
    with commits():
        response = visitor.post(link + "move/", {"start": new_start.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == new_start and booking.sequence == 1
    to_booker, _to_carol = mail.outbox
    event = _event(_ics(to_booker))
    assert event["sequence"] == 1 and str(event["uid"]) == f"{booking.id}@tend"
    assert event.decoded("dtstart") == new_start
    new_link = _link(to_booker)
    assert new_link != link
    assert visitor.get(link).status_code == 404
    assert visitor.get(new_link).status_code == 200
    assert visitor.get(f"{new_link}?done=moved").status_code == 200


def test_moving_to_a_taken_time_is_refused_with_the_nearest_free_times(
    commits: Any,
    call: CallType,
) -> None:
    day = days_ahead()
    first, _secret = _book(commits, call, local(day, 10))
    _book(commits, call, local(day, 14), email="other@example.test")
    with pytest.raises(SlotTaken) as refused:
        booking_reschedule(booking=first, start=local(day, 14), by="booker")
    assert refused.value.nearest
    first.refresh_from_db()
    assert first.start == local(day, 10) and first.sequence == 0


def test_cancelling_through_the_link_sends_a_cancel_frees_the_time_and_ends_the_link(
    commits: Any,
    call: CallType,
) -> None:
    start = local(days_ahead(), 10)
    booking, _secret = _book(commits, call, start)
    link = _link(mail.outbox[0])
    mail.outbox.clear()
    visitor = Client()
    with commits():
        response = visitor.post(link + "cancel/", {"reason": "Something came up"})
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == "booker"
    assert booking.cancel_reason == "Something came up" and booking.sequence == 1
    for message in mail.outbox:
        cal = _ics(message)
        assert cal["method"] == "CANCEL"
        assert _event(cal)["status"] == "CANCELLED" and _event(cal)["sequence"] == 1
        assert "Something came up" not in message.body
    assert visitor.get(link).status_code == 404
    assert visitor.post(link + "cancel/").status_code == 404
    book(call, start, email="next@example.test")  # the time is free again


def test_a_link_stops_working_once_the_call_has_passed(commits: Any, call: CallType) -> None:
    booking, secret = _book(commits, call, local(days_ahead(), 10))
    assert booking_by_secret(secret) is not None
    assert booking_by_secret(secret, now=booking.end) is None
    assert booking_by_secret(secret + "x") is None
    assert booking_by_secret("") is None


def test_one_bookings_link_cannot_read_or_change_another(commits: Any, call: CallType) -> None:
    day = days_ahead()
    _first, first_secret = _book(commits, call, local(day, 10), name="First Person")
    second, _second_secret = _book(
        commits, call, local(day, 12), name="Second Person", email="second@example.test"
    )
    visitor = Client()
    page = visitor.get(f"/book/manage/{first_secret}/").content.decode()
    assert when_words(local(day, 10), "America/New_York") in page
    assert when_words(second.start, "America/New_York") not in page
    with commits():
        visitor.post(f"/book/manage/{first_secret}/cancel/")
    second.refresh_from_db()
    assert second.status == "confirmed"
    # Nor can it move the other booking: only its own booking is ever loaded.
    assert visitor.get(f"/book/manage/{first_secret}/move/").status_code == 404


def test_booked_calls_appear_in_the_practitioners_calendar_feed_by_call_type_only(
    commits: Any, carol: User, call: CallType
) -> None:
    start = local(days_ahead(), 10)
    booking, _secret = _book(commits, call, start, name="Visitor Name")
    secret = feed_create(actor=carol)
    response = client_for(None).get(f"/rituals/calendar/{secret}.ics")
    cal = icalendar.Calendar.from_ical(response.content)
    events = [e for e in cal.walk("VEVENT") if str(e["uid"]) == f"{booking.id}@tend"]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == start
    assert str(events[0]["summary"]) == "Trigger Mapping Call"
    assert b"Visitor Name" not in response.content and CANARY.encode() not in response.content
