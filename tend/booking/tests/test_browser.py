"""A visitor in New York books a practitioner in Berlin at 375x812, in a week when only one of
the two zones has changed its clocks; then moves and cancels through the manage link, while the
practitioner's list shows each change."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import icalendar
import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import mail
from playwright.sync_api import expect

from tend.accounts.models import User
from tend.booking.models import Booking
from tend.booking.tests.factories import default_call, live_server, practitioner
from tend.booking.words import when_words
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORT = 8354  # within the ports this work may use
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _one_zone_changed() -> dt.date:
    """The first date at least three days ahead on which Berlin is 5 hours ahead of New York,
    not the usual 6: the weeks in March and October/November when only one has changed."""
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    while True:
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        berlin, new_york = noon.astimezone(BERLIN), noon.astimezone(NEW_YORK)
        gap = berlin.utcoffset() - new_york.utcoffset()  # type: ignore[operator]
        if gap == dt.timedelta(hours=5) and day.weekday() < 5:
            return day
        day += dt.timedelta(days=1)


@pytest.fixture
def server(transactional_db: Any) -> Iterator[Any]:
    with live_server(PORT, StaticFilesHandler) as url:
        yield SimpleNamespace(url=url)


def _invite(to: str) -> icalendar.Event:
    message = [m for m in mail.outbox if m.to == [to]][-1]
    content = message.attachments[0][1]
    cal = icalendar.Calendar.from_ical(content.encode() if isinstance(content, str) else content)
    return next(iter(cal.walk("VEVENT")))


def test_a_visitor_in_new_york_books_moves_and_cancels_a_call_with_a_practitioner_in_berlin(
    server: Any, browser: Any, carol: User
) -> None:
    practitioner(carol, zone="Europe/Berlin")
    call = default_call(carol)
    day = _one_zone_changed()
    call.horizon_days = (day - dt.datetime.now(dt.UTC).date()).days + 14
    call.consents = ["I understand this call is not therapy or a crisis service."]
    call.save()
    first = dt.datetime.combine(day, dt.time(10), tzinfo=BERLIN).astimezone(dt.UTC)
    moved = dt.datetime.combine(day, dt.time(11), tzinfo=BERLIN).astimezone(dt.UTC)
    # Five hours apart this week: 10:00 in Berlin is 05:00 in New York (06:00 most weeks).
    assert first.astimezone(NEW_YORK).hour == 5

    visitor = new_page(
        browser, PHONE, is_mobile=True, has_touch=True, timezone_id="America/New_York"
    )
    desk = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        visitor.goto(f"{server.url}/book/carol/")
        expect(visitor.get_by_role("heading", name="Carol")).to_be_visible()
        assert_accessible(visitor)
        screenshot(visitor, "booking-1-profile-phone")
        visitor.get_by_role("link", name="Trigger Mapping Call").tap()
        # The page's script adds the browser's zone to the address.
        expect(visitor).to_have_url(re.compile(r"zone=America%2FNew_York"))
        visitor.goto(f"{visitor.url}&from={day.isoformat()}")
        expect(visitor.get_by_text("Shown in New York time.")).to_be_visible()
        slot = visitor.get_by_role("link", name=when_words(first, "America/New_York"))
        expect(slot).to_have_text("05:00")
        assert_accessible(visitor)
        screenshot(visitor, "booking-2-free-times-new-york-phone")
        slot.tap()

        visitor.get_by_label("Your name").fill("Sam")
        visitor.get_by_label("Your email").fill("sam@example.test")
        visitor.get_by_label("Polyamorous").check()
        visitor.get_by_label("What brings you to the call?").fill("Jealousy when my partner dates")
        visitor.get_by_label("Fawn").check()
        visitor.get_by_label("I understand this call is not therapy or a crisis service.").check()
        assert_accessible(visitor)
        screenshot(visitor, "booking-3-intake-phone")
        visitor.get_by_role("button", name="Book this call").tap()
        expect(visitor.get_by_text("Your call is booked.")).to_be_visible()
        expect(visitor.locator("[data-when]")).to_have_text(when_words(first, "America/New_York"))
        expect(
            visitor.get_by_text(when_words(first, "Europe/Berlin") + " for them")
        ).to_be_visible()
        assert_accessible(visitor)
        screenshot(visitor, "booking-4-booked-phone")

        # The invitations carry one instant, written in each reader's own zone.
        booker_event, carol_event = _invite("sam@example.test"), _invite(carol.email)
        assert booker_event.decoded("dtstart") == carol_event.decoded("dtstart") == first
        assert str(booker_event.decoded("dtstart").tzinfo) == "America/New_York"
        assert str(carol_event.decoded("dtstart").tzinfo) == "Europe/Berlin"

        sign_in(desk, server, carol)
        desk.goto(f"{server.url}/booking/calls/")
        row = desk.get_by_role("link", name=when_words(first, "Europe/Berlin"))
        expect(row).to_be_visible()
        assert_accessible(desk)
        screenshot(desk, "booking-5-practitioner-list-booked-phone")

        visitor.get_by_role("link", name="Move to another time").tap()
        # The days fold, the first open: the day of the call may need opening first.
        moved_words = when_words(moved, "America/New_York")
        move = visitor.get_by_role("button", name=f"Move to {moved_words}")
        day_of_move = visitor.locator("details.book-day", has=move)
        if not day_of_move.evaluate("d => d.open"):
            day_of_move.locator("summary").tap()
        move.tap()
        expect(visitor.get_by_text("Your call has its new time.", exact=False)).to_be_visible()
        expect(visitor.locator("[data-when]")).to_have_text(when_words(moved, "America/New_York"))
        screenshot(visitor, "booking-6-moved-phone")
        moved_event = _invite("sam@example.test")
        assert moved_event.decoded("dtstart") == moved and moved_event["sequence"] == 1
        desk.reload()
        expect(desk.get_by_role("link", name=when_words(moved, "Europe/Berlin"))).to_be_visible()
        expect(desk.get_by_role("link", name=when_words(first, "Europe/Berlin"))).to_have_count(0)
        screenshot(desk, "booking-7-practitioner-list-moved-phone")

        visitor.get_by_label("A reason, if you'd like to give one (optional)").fill("Sick")
        visitor.get_by_role("button", name="Cancel this call").tap()
        expect(visitor.get_by_role("heading", name="Your call is cancelled")).to_be_visible()
        assert_accessible(visitor)
        screenshot(visitor, "booking-8-cancelled-phone")
        assert _invite("sam@example.test")["status"] == "CANCELLED"
        desk.reload()
        expect(desk.locator('[data-status="cancelled"]')).to_have_count(1)
        screenshot(desk, "booking-9-practitioner-list-cancelled-phone")
        assert Booking.objects.get().status == "cancelled"
        assert not visitor.console_errors
    finally:
        visitor.context.close()
        desk.context.close()
