"""The map on a phone (375x812): three plain lines first, a compact period control whose dates
show only for "Dates" (without JavaScript too), sections that fold, words people use with the
numbers behind "Details", round axis ticks, and wide tables that scroll inside themselves."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.journal.management.commands.demo import populate
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(alice: User) -> User:
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    populate(user=alice, seed=7)
    return alice


def test_the_map_opens_with_three_plain_lines_and_folds_its_sections(
    live_server: Any, phone_page: Any, demo: User
) -> None:
    page = phone_page
    sign_in(page, live_server, demo)
    page.goto(f"{live_server.url}/insights/?period=90")
    headline = page.locator(".map-headline p")
    assert headline.count() == 3
    lines = headline.all_inner_texts()
    assert re.match(r"^\d+ activations and \d+ glimmers, ", lines[0]), lines
    assert lines[1].startswith("Most often: “") and "out of 10" in lines[1], lines
    assert lines[2].startswith("What helped most: “"), lines
    # All three lines and the period control are in the first screen.
    box = page.locator(".period-form").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    page.screenshot(path="artifacts/screenshots/insights-map-first-screen-phone.png")

    # Dates show only once "Dates" is chosen.
    assert not page.get_by_label("From", exact=True).is_visible()
    page.get_by_label("Dates").check()
    assert page.get_by_label("From", exact=True).is_visible()
    page.get_by_label("90 days").check()

    # The first section is open; the others fold, so the page is a few screens, not 13,000px.
    folds = page.locator(".map-fold")
    assert folds.count() == 8
    assert folds.first.evaluate("d => d.open")
    assert all(not folds.nth(i).evaluate("d => d.open") for i in range(1, 8))
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"map at 375px, period 90 days: {height}px tall (13,138px before)")
    assert height < 5000, height
    screenshot(page, "insights-map-folded-phone")
    assert_accessible(page)

    # Words people use; the median, the middle half and n wait behind "Details".
    themes = page.locator("section#themes")
    card = themes.locator(".theme-card").first
    assert "usually between" in card.inner_text()
    assert "middle half" not in card.inner_text()
    card.locator(".numbers summary").click()
    assert "middle half" in card.locator(".numbers").inner_text()
    assert re.search(r"n=\d+", card.locator(".numbers").inner_text())

    # A wide table scrolls inside itself; the page never scrolls sideways.
    page.locator("section#trends .map-fold > summary").click()
    wide = page.locator("section#trends .table-wrap:has(.states-over-time)")
    assert wide.evaluate("w => w.scrollWidth > w.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The axes read in round numbers.
    ticks = page.locator("section#trends svg text[text-anchor=end]").evaluate_all(
        "texts => texts.map(t => t.textContent)"
    )
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    screenshot(page, "insights-map-trends-open-phone")
    assert_accessible(page)
    page.locator("section#helps .map-fold > summary").click()
    helps = page.locator("section#helps .helps-list").inner_text()
    assert "usually brings it down by about" in helps
    assert page.console_errors == []


def test_without_javascript_the_dates_still_show_only_for_dates(
    live_server: Any, browser: Any, demo: User
) -> None:
    page = new_page(browser, PHONE, java_script_enabled=False)
    try:
        sign_in(page, live_server, demo)
        page.goto(f"{live_server.url}/insights/?period=30")
        assert not page.get_by_label("To", exact=True).is_visible()
        page.get_by_label("Dates").check()
        page.get_by_label("From", exact=True).fill("2026-09-01")
        page.get_by_label("To", exact=True).fill("2026-10-01")
        page.get_by_role("button", name="Show the map").click()
        page.wait_for_url("**period=custom**")
        # The chosen dates stay chosen, and shown.
        assert page.get_by_label("From", exact=True).input_value() == "2026-09-01"
        page.locator("section#time .map-fold > summary").click()
        assert page.locator("section#time figure.chart").is_visible()
    finally:
        page.context.close()
