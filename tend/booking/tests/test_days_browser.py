"""The public page of free times at 375x812: a week of times folds by day, the first day open,
so the page is short; a day opens by tap, by keyboard and without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tend.accounts.models import User
from tend.booking.tests.factories import default_call, practitioner
from tend.conftest import PHONE, assert_accessible, new_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _height(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def test_a_week_of_free_times_folds_by_day_and_opens_by_tap_and_keyboard(
    live_server: Any, browser: Any, carol: User
) -> None:
    practitioner(carol, zone="Europe/Berlin")
    call = default_call(carol)
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True, timezone_id="Europe/Berlin")
    try:
        page.goto(f"{live_server.url}/book/carol/{call.id}/?zone=Europe%2FBerlin")
        days = page.locator("details.book-day")
        assert days.count() >= 6
        # Only the first day shows its times; the others show how many they hold.
        assert days.first.evaluate("d => d.open")
        assert all(not days.nth(i).evaluate("d => d.open") for i in range(1, days.count()))
        assert page.locator(".book-slots a:visible").count() == days.first.locator("a").count()
        expect(days.nth(1).locator("summary")).to_contain_text("free times")
        # Was 2,970-3,270px with every day open; now about two screens.
        assert _height(page) < 1700, _height(page)
        screenshot(page, "booking-free-times-folded-phone")
        assert_accessible(page)

        # A tap opens a day; so does Enter on its summary, reached by Tab.
        days.nth(1).locator("summary").tap()
        assert days.nth(1).evaluate("d => d.open")
        days.nth(2).locator("summary").focus()
        page.keyboard.press("Enter")
        assert days.nth(2).evaluate("d => d.open")
        slot = days.nth(2).locator("a").first
        expect(slot).to_be_visible()
        screenshot(page, "booking-free-times-two-days-open-phone")
        assert_accessible(page)
        slot.tap()
        page.wait_for_url("**/details/**")
        assert page.console_errors == []
    finally:
        page.context.close()


def test_without_javascript_a_folded_day_opens_and_its_time_can_be_chosen(
    live_server: Any, browser: Any, carol: User
) -> None:
    practitioner(carol, zone="Europe/Berlin")
    call = default_call(carol)
    page = new_page(browser, PHONE, java_script_enabled=False)
    try:
        page.goto(f"{live_server.url}/book/carol/{call.id}/?zone=Europe%2FBerlin")
        third = page.locator("details.book-day").nth(2)
        third.locator("summary").click()
        third.locator("a").first.click()
        page.wait_for_url("**/details/**")
        expect(page.get_by_label("Your name")).to_be_visible()
    finally:
        page.context.close()
