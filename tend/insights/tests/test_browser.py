"""The demo account's map in real Chromium: every section at 375x812 and at desktop size."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, screenshot
from tend.journal.management.commands.demo import populate
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ("themes", "body", "helps", "time", "people", "trends", "glimmers", "patterns")


@pytest.fixture
def demo(alice: User) -> User:
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    populate(user=alice, seed=7)
    return alice


def _check_every_section(page: Any) -> None:
    for section in SECTIONS:
        assert page.locator(f"section#{section}").is_visible(), section
    # Each chart draws an SVG with a title and a description, and offers its numbers as a table.
    charts = page.locator("figure.chart")
    assert charts.count() >= 6
    assert page.locator("figure.chart svg > title").count() == charts.count()
    assert page.locator("figure.chart svg > desc").count() == charts.count()
    assert page.locator("figure.chart details table").count() == charts.count()
    assert "phone at dinner" in page.locator("section#themes").inner_text()


def test_the_demo_map_shows_every_section_on_a_phone(
    live_server: Any, phone_page: Any, demo: User
) -> None:
    page = phone_page
    sign_in(page, live_server, demo)
    page.goto(f"{live_server.url}/insights/?period=90")
    _check_every_section(page)
    # Nothing is wider than the phone: the charts scale by their viewBox.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Sections fold: open the body map, then its numbers as a table.
    page.locator("section#body .map-fold > summary").click()
    page.locator("section#body .chart-data summary").first.click()
    assert page.locator("section#body .chart-data table").first.is_visible()
    assert_accessible(page)
    screenshot(page, "insights-map-phone")
    assert page.console_errors == []


def test_the_demo_map_shows_every_section_on_a_desktop_and_offers_the_report(
    live_server: Any, desktop_page: Any, demo: User
) -> None:
    page = desktop_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, demo)
    page.goto(f"{live_server.url}/insights/")
    page.get_by_label("A year").check()
    page.get_by_role("button", name="Show the map").click()
    page.wait_for_url("**/insights/?period=365*")
    _check_every_section(page)
    assert_accessible(page)
    screenshot(page, "insights-map-desktop")

    # A period that needs fixing is shown again as typed, with what to fix.
    page.get_by_label("Dates").check()
    page.get_by_label("From", exact=True).fill("2026-05-01")
    page.get_by_label("To", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Show the map").click()
    assert "The first day comes after the last day." in page.locator(".period-form").inner_text()
    assert page.get_by_label("From", exact=True).input_value() == "2026-05-01"
    assert_accessible(page)

    page.goto(f"{live_server.url}/insights/?period=90")
    # Only two sections, so that WeasyPrint is quick even on a busy machine.
    for label in ("Body heat map", "Time of day and weekday", "Trends", "Glimmer map"):
        page.get_by_role("checkbox", name=label, exact=True).uncheck()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the PDF").click(timeout=120_000)
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("button", name="Open a printable page").click()
    page.wait_for_url("**/insights/report/**")
    assert "Trigger map" in page.locator("h1").inner_text()
    screenshot(page, "insights-report-desktop")
    assert page.console_errors == []
