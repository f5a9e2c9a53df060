"""The practice dashboard and the summary after a call, in real Chromium against the served app,
on a phone (375x812) and a desktop (1280x800): carol's dashboard is empty; a booking arrives and
the dashboard counts it (and one notice says so in counts); carol writes a summary of alice's
last call and sends it; alice sees the content-free notice and the summary in her journal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail

from tend.accounts.models import User
from tend.booking.tests.factories import book, days_ahead, default_call, local
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.journal.tests.test_browser import sign_in
from tend.notifications.delivery import deliver_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 800}
SUMMARY = "We found the alarm at dinner.\nWhat helps: a hand on the chest, feet on the floor."


def look(page: Any, name: str) -> None:
    page.wait_for_load_state("networkidle")
    screenshot(page, f"practice-{name}")
    assert_accessible(page)
    assert page.console_errors == [], page.console_errors


def test_the_dashboard_counts_and_a_summary_reaches_the_client(
    live_server: Any, browser: Any, carol: User, alice: User
) -> None:
    # Alice's call was last week: carol handed the map over and alice accepted.
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=10)):
        booking = call_booked(carol, email=alice.email)
        handed_over(carol, alice, filled(carol, booking))
    c = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    a = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    d = new_page(browser, WIDE)
    try:
        sign_in(c, live_server, carol)
        sign_in(a, live_server, alice)
        sign_in(d, live_server, carol)
        # From carol's calls to her practice.
        c.goto(f"{live_server.url}/booking/calls/")
        c.get_by_role("link", name="Your practice").click()
        c.wait_for_url("**/coaching/")
        assert "Nothing waits for you yet." in c.inner_text("main")
        look(c, "01-dashboard-empty-phone")

        # A booking arrives; one notice says so, in counts.
        book(default_call(carol), local(days_ahead(2), 11), email="zoe@example.test")
        c.goto(f"{live_server.url}/notifications/")
        assert "1 new booking. See your practice dashboard." in c.inner_text("main")
        look(c, "02-notice-in-counts-phone")

        d.goto(f"{live_server.url}/coaching/")
        text = d.inner_text("main")
        assert "1 new booking to review" in text and "1 call in the next 7 days" in text
        assert "zoe" not in text.lower()
        look(d, "03-dashboard-counts-desktop")
        c.goto(f"{live_server.url}/coaching/")
        look(c, "04-dashboard-seen-phone")
        c.get_by_role("link", name="Your clients").click()
        c.get_by_role("link", name="Alice").click()
        c.get_by_role("link", name="Summary for them").click()
        c.wait_for_url(f"**/coaching/calls/{booking.id}/summary/")
        look(c, "05-summary-empty-phone")

        # Nothing but spaces is refused, saying what to do.
        c.get_by_label("Your summary").fill("   ")
        c.get_by_role("button", name="Save the draft").click()
        c.get_by_text("Write a few words first.").wait_for()
        c.console_errors.clear()  # the 400 of the refusal was the point
        look(c, "05b-summary-refused-phone")
        c.get_by_label("Your summary").fill(SUMMARY)
        c.get_by_role("button", name="Save the draft").click()
        c.get_by_text("Your draft is saved.").wait_for()
        look(c, "06-summary-draft-phone")
        mail.outbox.clear()
        c.get_by_role("button", name="Send to Alice").click()
        c.get_by_text("Sent. It is theirs now").wait_for()
        assert "What helps: a hand on the chest" in c.inner_text("main")
        look(c, "07-summary-sent-phone")
        d.goto(f"{live_server.url}/coaching/calls/{booking.id}/summary/")
        look(d, "08-summary-sent-desktop")

        # Alice is told without a word of it, and finds it in her journal.
        deliver_due()
        assert mail.outbox and all("alarm at dinner" not in m.body for m in mail.outbox)
        a.goto(f"{live_server.url}/notifications/")
        assert "sent you a summary of your call" in a.inner_text("main")
        assert "alarm at dinner" not in a.inner_text("main")
        look(a, "09-client-notice-phone")
        a.goto(f"{live_server.url}/journal/")
        a.get_by_role("link", name="Summaries of your calls").click()
        a.wait_for_url("**/coaching/summaries/")
        look(a, "10-client-summaries-phone")
        a.get_by_role("link", name="From Carol").click()
        a.wait_for_url("**/coaching/summaries/*/")
        assert "We found the alarm at dinner." in a.inner_text("main")
        look(a, "11-client-summary-phone")
        wide = new_page(browser, WIDE)
        sign_in(wide, live_server, alice)
        wide.goto(a.url)
        look(wide, "12-client-summary-desktop")
        wide.context.close()
    finally:
        c.context.close()
        a.context.close()
        d.context.close()
