"""The booking journey on the real server, as `make run` serves it (tend/core/tests/served.py).

A practitioner turns their booking page on and sets hours through the pages; a visitor with no
account books the free call; both emails arrive as files
with an invitation attached, and the visitor cancels through the emailed manage link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest

from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.core.tests.served import Served, tend_serve
from tend.core.tests.test_served import sign_up

pytestmark = [pytest.mark.served, pytest.mark.browser]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with tend_serve() as server:
        yield server


def invitation(served: Served, address: str) -> icalendar.Event:
    """The calendar invitation attached to the newest email to ``address``."""
    message = served.emails_to(address)[-1]
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            return next(iter(calendar.walk("VEVENT")))
    raise AssertionError(f"no invitation in the newest email to {address}")


def test_a_visitor_books_and_cancels_a_call_on_the_served_app(served: Served, browser: Any) -> None:
    desk = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    visitor = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        sign_up(desk, served, "dana@example.test")
        desk.goto(served.url + "/booking/")
        desk.get_by_role("button", name="Turn my booking page on").click()
        desk.get_by_text("Your booking page is on.").first.wait_for()
        public = desk.locator("a[href^='/book/']").first.get_attribute("href")
        assert public is not None
        desk.goto(served.url + "/booking/hours/")
        for day in range(7):
            desk.locator(f"#id_day{day}").fill("08:00-20:00")
        desk.get_by_role("button", name="Save hours").click()
        desk.get_by_text("Your hours are saved.").wait_for()
        screenshot(desk, "served-booking-1-hours")

        visitor.goto(served.url + public)
        visitor.get_by_role("link", name="Trigger Mapping Call").click()
        slot = visitor.locator(".book-slots a").first
        slot.wait_for()
        assert_accessible(visitor)
        screenshot(visitor, "served-booking-2-free-times")
        slot.click()
        visitor.get_by_label("Your name").fill("Sam")
        visitor.get_by_label("Your email").fill("sam@example.test")
        visitor.get_by_label("Polyamorous").check()
        visitor.get_by_label("What brings you to the call?").fill("Jealousy when my partner dates")
        visitor.get_by_role("button", name="Book this call").click()
        visitor.get_by_text("Your call is booked.").wait_for()
        screenshot(visitor, "served-booking-3-booked")

        # Both emails are written by the served app's mail backend, each with the same instant.
        body = served.wait_for_email("sam@example.test")
        assert served.wait_for_email("dana@example.test", count=2)
        booked = invitation(served, "sam@example.test").decoded("dtstart")
        assert invitation(served, "dana@example.test").decoded("dtstart") == booked
        link = re.search(r"https?://\S+/book/manage/\S+", body)
        assert link is not None, body
        # The manage link names the server that sent it.
        assert link.group(0).startswith(served.url + "/"), link.group(0)

        visitor.goto(link.group(0))
        visitor.get_by_role("button", name="Cancel this call").click()
        visitor.get_by_role("heading", name="Your call is cancelled").wait_for()
        assert_accessible(visitor)
        screenshot(visitor, "served-booking-4-cancelled")

        desk.goto(served.url + "/booking/calls/?when=upcoming&status=cancelled")
        assert desk.locator('[data-status="cancelled"]').count() == 1
        assert not desk.console_errors and not visitor.console_errors
    finally:
        desk.context.close()
        visitor.context.close()
