"""Every practices page in real Chromium at 375x812 and 1280x900: axe-core and screenshots."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.journal.tests.test_browser import sign_in
from tend.practices.tests.factories import CustomPracticeFactory, PracticeSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": PHONE, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_library_player_flow_own_and_history_pages_are_accessible(
    live_server: Any, browser: Any, alice: User, size: str
) -> None:
    own = CustomPracticeFactory(author=alice, name="Counting waves")
    for before, after in ((8, 4), (6, 5), (7, 7)):
        PracticeSessionFactory(author=alice, intensity_before=before, intensity_after=after)
    PracticeSessionFactory(author=alice, practice_code="custom", custom_practice=own)
    page = new_page(browser, SIZES[size])
    try:
        sign_in(page, live_server, alice)
        pages = {
            "library": "/practices/",
            "player": "/practices/practice/resonance_breathing/",
            "player-steps": "/practices/practice/reflect_tender_places/",
            "reach-out": "/practices/practice/reach_out/",
            "flow": "/practices/activated/?intensity=7&state=flight",
            "flow-ten": "/practices/activated/?intensity=10",
            "own": "/practices/own/",
            "own-new": "/practices/own/new/",
            "own-player": f"/practices/own/{own.id}/",
            "history": "/practices/history/",
        }
        for name, path in pages.items():
            assert page.goto(live_server.url + path).status == 200, path
            screenshot(page, f"practices-{name}-{size}")
            assert_accessible(page)
        # A running pacer, mid-breath.
        page.goto(live_server.url + "/practices/practice/resonance_breathing/")
        page.get_by_role("button", name="Start").click()
        page.wait_for_timeout(2500)
        screenshot(page, f"practices-player-running-{size}")
        assert_accessible(page)
        # A session page, reached from the history.
        page.goto(live_server.url + "/practices/history/")
        page.locator(".session-link").first.click()
        page.wait_for_url(re.compile(r"/practices/sessions/[0-9a-f-]{36}/$"))
        screenshot(page, f"practices-session-{size}")
        assert_accessible(page)
        assert page.console_errors == []
    finally:
        page.context.close()


def test_dark_mode_player_and_the_eyes_closed_veil(
    live_server: Any, browser: Any, alice: User
) -> None:
    page = new_page(browser, PHONE, color_scheme="dark")
    try:
        sign_in(page, live_server, alice)
        page.goto(live_server.url + "/practices/activated/?intensity=6")
        screenshot(page, "practices-flow-state-dark-phone")
        assert_accessible(page)
        page.goto(live_server.url + "/practices/practice/box_breathing/")
        page.get_by_role("button", name="Start").click()
        page.get_by_label("Eyes closed: dim the screen, guide with tones").check()
        veil = page.locator("[data-veil]")
        assert veil.is_visible()
        # Dark, in dark mode too: the veil takes the page's own near-black.
        background = veil.evaluate("el => getComputedStyle(el).backgroundColor")
        assert background == "rgb(26, 25, 23)"
        page.wait_for_timeout(600)
        page.screenshot(path="artifacts/screenshots/practices-player-eyes-closed-dark-phone.png")
        page.get_by_role("button", name="Open my eyes (Esc)").click()
        assert veil.is_hidden()
        assert page.console_errors == []
    finally:
        page.context.close()
