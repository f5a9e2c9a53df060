"""The pacer on a small phone (375x667): the orb and Start in the first screen, above the tab bar;
a tap on the orb starts and pauses it; and an orb scrolled under the top bar comes back whole."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, new_page
from tend.journal.tests.test_browser import sign_in
from tend.practices.tests.test_pacer_browser import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 375, "height": 667}
# From "I'm activated" at 8 out of 10: the recap line makes this the tallest top of the page.
FLOW = "/practices/practice/{code}/?flow=1&intensity=8&state=fight"


def _shot(page: Any, name: str) -> None:
    # What the person sees without scrolling: the first screen, not the whole page.
    page.screenshot(path=f"artifacts/screenshots/{name}.png")


def _screen_band(page: Any) -> tuple[float, float]:
    """The part of the screen not covered by the sticky top bar or the fixed tab bar."""
    top = page.locator(".topbar").bounding_box()
    bar = page.locator("nav.nav").bounding_box()
    return top["y"] + top["height"], bar["y"]


@pytest.mark.parametrize("code", ["box_breathing", "resonance_breathing", "long_exhale"])
def test_the_orb_and_start_fit_the_first_screen_of_a_small_phone(
    live_server: Any, browser: Any, alice: User, code: str
) -> None:
    page = new_page(browser, SMALL_PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(page, live_server, alice)
        page.goto(live_server.url + FLOW.format(code=code))
        _shot(page, f"practices-pacer-667-{code}-ready")
        top, bottom = _screen_band(page)
        orb = page.locator(".pacer").bounding_box()
        start = page.get_by_role("button", name="Start").bounding_box()
        assert orb["y"] >= top and orb["y"] + orb["height"] <= bottom, (orb, top, bottom)
        # Start sits under the orb, whole, above the tab bar.
        assert start["y"] >= orb["y"] + orb["height"]
        assert start["y"] + start["height"] <= bottom, (start, bottom)
        assert start["height"] >= 44
        assert_accessible(page)
        assert page.console_errors == []
    finally:
        page.context.close()


def test_a_tap_on_the_orb_starts_pauses_and_resumes(
    live_server: Any, browser: Any, alice: User
) -> None:
    page = new_page(browser, SMALL_PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(page, live_server, alice)
        page.goto(live_server.url + FLOW.format(code="box_breathing"))
        page.locator(".pacer").tap()
        wait_until(page, "window.tendPacer.state === 'running'")
        assert page.locator(".pacer-phase").inner_text() == "Breathe in"
        page.wait_for_timeout(1500)
        _shot(page, "practices-pacer-667-running")
        # The phase word reads over the orb, and axe finds nothing to fault.
        assert_accessible(page)
        page.locator(".pacer").tap()
        assert page.evaluate("window.tendPacer.state") == "paused"
        assert page.get_by_role("button", name="Resume").is_visible()
        page.locator(".pacer").tap()
        assert page.evaluate("window.tendPacer.state") == "running"
        page.get_by_role("button", name="Stop").click()
        assert page.evaluate("window.tendPacer.state") == "stopped"
        assert page.console_errors == []
    finally:
        page.context.close()


def test_an_orb_scrolled_under_the_top_bar_comes_back_whole_when_it_starts(
    live_server: Any, browser: Any, alice: User
) -> None:
    page = new_page(browser, SMALL_PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(page, live_server, alice)
        page.goto(live_server.url + FLOW.format(code="box_breathing"))
        # Scrolled to the options below: the orb's top is cut off by the top bar.
        page.locator("#pacer-length").scroll_into_view_if_needed()
        page.mouse.wheel(0, 200)
        page.wait_for_timeout(300)
        top, _ = _screen_band(page)
        assert page.locator(".pacer").bounding_box()["y"] < top
        page.get_by_role("button", name="Start").click()
        wait_until(page, "window.tendPacer.state === 'running'")
        page.wait_for_timeout(900)  # the smooth scroll
        top, bottom = _screen_band(page)
        orb = page.locator(".pacer").bounding_box()
        assert orb["y"] >= top - 1 and orb["y"] + orb["height"] <= bottom, (orb, top, bottom)
        assert page.get_by_role("button", name="Pause").bounding_box()["y"] < bottom
        _shot(page, "practices-pacer-667-scrolled-back")
    finally:
        page.context.close()
