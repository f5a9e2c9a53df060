"""Rituals and check-ins in real Chromium: two people answer a check-in privately, then both see
both; an open action item shows up in the next check-in. Also the ritual pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.connections.tests.factories import connect
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}


def test_check_in_answers_stay_hidden_until_both_answered_and_action_items_carry_over(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    connect(alice, bob)
    a = new_page(browser, WIDE)
    b = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(a, live_server, alice)
        sign_in(b, live_server, bob)
        a.goto(f"{live_server.url}/rituals/checkins/")
        a.get_by_role("button", name="Start a check-in with Bob").click()
        a.get_by_label("Appreciations").fill("You made tea when I was tired")
        a.get_by_label("What's coming up").fill("A date with Sam on Friday")
        a.get_by_label("Action item 1").fill("Book the Sunday walk")
        assert_accessible(a)
        screenshot(a, "rituals-checkin-form-desktop")
        a.get_by_role("button", name="Save my answers").click()
        expect(a.locator(".waiting")).to_contain_text("once Bob has answered too")
        checkin_url = a.url

        # Bob opens the same check-in: alice's answers are not there yet.
        b.goto(checkin_url)
        expect(b.get_by_label("Appreciations")).to_be_visible()
        assert "You made tea" not in b.content()
        assert "Book the Sunday walk" not in b.content()
        b.get_by_label("Tender places and needs").fill("Fridays feel long when you are out")
        b.get_by_role("button", name="Save my answers").tap()

        # Now both see both.
        expect(b.get_by_text("You made tea when I was tired")).to_be_visible()
        expect(b.get_by_text("Fridays feel long when you are out")).to_be_visible()
        assert_accessible(b)
        screenshot(b, "rituals-checkin-revealed-phone")
        a.reload()
        expect(a.get_by_text("Fridays feel long when you are out")).to_be_visible()
        expect(a.get_by_text("You made tea when I was tired")).to_be_visible()

        # The next check-in carries the open action item.
        b.goto(f"{live_server.url}/rituals/checkins/")
        b.get_by_role("button", name="Start a check-in with Alice").tap()
        carry = b.locator(".action-items")
        expect(carry).to_contain_text("Book the Sunday walk")
        screenshot(b, "rituals-checkin-carry-phone")
        assert not a.console_errors and not b.console_errors
    finally:
        a.context.close()
        b.context.close()


def test_a_ritual_is_made_marked_and_its_calendar_link_created(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    connect(alice, bob)
    for viewport, suffix in ((PHONE, "phone"), (WIDE, "desktop")):
        page = new_page(browser, viewport)
        try:
            sign_in(page, live_server, alice)
            page.goto(f"{live_server.url}/rituals/new/")
            page.get_by_label("Weekly check-in").check()
            page.get_by_label("With whom").select_option(label="Bob")
            page.get_by_label("Sun", exact=True).check()
            page.get_by_label("Time", exact=True).fill("19:00")
            today = dt.datetime.now(dt.UTC).date()
            page.get_by_label("From", exact=True).fill((today - dt.timedelta(days=15)).isoformat())
            assert_accessible(page)
            screenshot(page, f"rituals-new-{suffix}")
            page.get_by_role("button", name="Create ritual").click()
            expect(page.get_by_role("heading", name="Weekly check-in")).to_be_visible()
            page.locator(".occurrence-list").nth(1).get_by_role("button", name="Done").first.click()
            expect(page.get_by_text("Marked as done.")).to_be_visible()
            expect(page.locator(".rhythm")).to_contain_text("once in the last 8 weeks")
            assert_accessible(page)
            screenshot(page, f"rituals-detail-{suffix}")
            page.goto(f"{live_server.url}/rituals/")
            screenshot(page, f"rituals-index-{suffix}")
            page.goto(f"{live_server.url}/rituals/calendar/")
            page.get_by_role("button", name="Make my calendar link").click()
            expect(page.locator("#feed-url")).to_contain_text(".ics")
            assert_accessible(page)
            screenshot(page, f"rituals-calendar-{suffix}")
            page.goto(f"{live_server.url}/notifications/settings/")
            assert_accessible(page)
            screenshot(page, f"notifications-settings-{suffix}")
            assert not page.console_errors
        finally:
            page.context.close()
        from tend.rituals.models import CalendarFeed, Ritual

        Ritual.objects.all().delete()
        CalendarFeed.objects.all().delete()


def test_a_check_in_pulls_in_the_weekly_summary_the_other_shared(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    from tend.connections.tests.factories import share
    from tend.journal.tests.factories import MomentFactory
    from tend.rituals.services import checkin_start

    together = connect(alice, bob)
    MomentFactory(author=alice, story="I told myself I was too much again")
    share(alice, together, "weekly_summary", include_stories=True, note="A hard week; be gentle")
    checkin = checkin_start(actor=bob, connection=together)
    b = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(b, live_server, bob)
        b.goto(f"{live_server.url}/rituals/checkins/{checkin.id}/")
        week = b.locator(".their-week")
        expect(week).to_contain_text("Their week, as they chose to share it")
        expect(week).to_contain_text("Shared by Alice · read only")
        expect(week).to_contain_text("I told myself I was too much again")
        expect(b.get_by_role("link", name="Share my week")).to_be_visible()
        assert_accessible(b)
        screenshot(b, "rituals-checkin-their-week-phone")
        assert not b.console_errors
    finally:
        b.context.close()
