"""The breath pacer in real Chromium: on time over two minutes, usable by keyboard alone, still
under reduced motion, and in step on two screens whose clocks disagree."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import DESKTOP, PHONE, assert_accessible, new_page, screenshot
from tend.journal.tests.test_browser import sign_in
from tend.practices.models import SharedBreath
from tend.practices.services import shared_breath_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOLERANCE_MS = 50


def wait_until(page: Any, expression: str, timeout: float = 10_000, poll: float = 0.05) -> None:
    """Poll an expression with page.evaluate: the pages' strict CSP forbids the string
    evaluation that Playwright's wait_for_function would do inside the page."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} ms: {expression}")
        time.sleep(poll)


def test_box_breathing_phases_start_within_50_ms_of_the_pattern_over_two_minutes(
    live_server: Any, desktop_page: Any, alice: User
) -> None:
    page = desktop_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + "/practices/practice/box_breathing/?seconds=120")
    page.get_by_role("button", name="Start").click()
    wait_until(page, "window.tendPacer.state === 'done'", timeout=135_000, poll=1)
    log = page.evaluate("window.tendPacer.log")
    origin = log[0]["due"]
    # 4 s per phase: 30 phases in two minutes, each due exactly 4 s after the one before.
    assert len(log) == 30
    for n, entry in enumerate(log):
        expected = origin + n * 4000
        assert entry["due"] == pytest.approx(expected, abs=0.01), n
        assert abs(entry["at"] - expected) <= TOLERANCE_MS, (n, entry["at"] - expected)
        assert entry["index"] == n % 4
    late = [entry["at"] - entry["due"] for entry in log]
    print(f"pacer lateness over {len(log)} phases: max {max(late):.1f} ms, min {min(late):.1f} ms")
    # The phases are named as they go, politely, for a screen reader.
    assert page.locator("[data-announce]").get_attribute("aria-live") == "polite"
    assert page.get_by_text("Done. Notice how you feel.").first.is_visible()
    assert page.console_errors == []


def test_the_pacer_is_usable_by_keyboard_and_still_under_reduced_motion(
    live_server: Any, browser: Any, alice: User
) -> None:
    page = new_page(browser, PHONE, reduced_motion="reduce")
    try:
        sign_in(page, live_server, alice)
        page.goto(live_server.url + "/practices/practice/long_exhale/?seconds=30")
        # The still form: no circle, the phase in words and a count.
        assert page.locator(".pacer").is_hidden()
        page.locator("[data-start]").focus()
        page.keyboard.press("Enter")
        page.locator("[data-pacer-phase='0']").wait_for()
        assert page.locator(".pacer-phase").inner_text() == "Breathe in"
        wait_until(page, "document.querySelector('[data-count]').textContent.trim() === '2'")
        screenshot(page, "practices-player-reduced-motion-phone")
        # Focus moved to Pause: Space pauses, Space resumes.
        page.keyboard.press("Space")
        assert page.evaluate("window.tendPacer.state") == "paused"
        assert page.locator("[data-pause]").inner_text() == "Resume"
        page.keyboard.press("Space")
        assert page.evaluate("window.tendPacer.state") == "running"
        # Tab reaches Stop; Enter stops and the rating takes focus.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hasAttribute('data-stop')")
        page.keyboard.press("Enter")
        assert page.evaluate("window.tendPacer.state") == "stopped"
        assert page.evaluate("document.activeElement.id") == "rate"
        # The options are keyboard controls too: eyes closed dims the screen; Escape undoes it.
        page.locator("[data-discreet]").focus()
        page.keyboard.press("Space")
        assert page.locator("[data-veil]").is_visible()
        assert page.locator("[data-sound]").is_checked()
        page.keyboard.press("Escape")
        assert page.locator("[data-veil]").is_hidden()
        assert page.console_errors == []
    finally:
        page.context.close()


SKEW = """
(() => {
  // This page's clock runs %(skew)s ms off: both Date.now() and performance.timeOrigin.
  const skew = %(skew)s;
  const origin = performance.timeOrigin;
  Object.defineProperty(performance, "timeOrigin", { get: () => origin + skew });
  const now = Date.now.bind(Date);
  Date.now = () => now() + skew;
})();
"""


def skewed_page(browser: Any, skew_ms: float) -> Any:
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    page.add_init_script(SKEW % {"skew": skew_ms})
    return page


def test_two_screens_with_different_clocks_breathe_in_step_and_either_can_end_it(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    breath, token = shared_breath_start(host=alice, minutes=5)
    url = f"{live_server.url}/practices/together/{token}/"
    skews = {"alice": 37_000.0, "bob": -73_400.0}
    pages = {
        "alice": skewed_page(browser, skews["alice"]),
        "bob": skewed_page(browser, skews["bob"]),
    }
    try:
        sign_in(pages["alice"], live_server, alice)
        sign_in(pages["bob"], live_server, bob)
        for name, page in pages.items():
            assert page.goto(url).status == 200
            # The estimated offset undoes the skew (the server's clock is the real one here).
            wait_until(page, "window.tendPacer.state === 'running'")
            offset = page.evaluate("window.tendPacer.offset")
            assert abs(offset + skews[name]) < 50, (name, offset)
        screenshot(pages["bob"], "practices-together-phone")
        assert_accessible(pages["bob"])
        # Several phase boundaries on both (5 s in, 5 s out).
        for page in pages.values():
            wait_until(page, "window.tendPacer.log.length >= 3", timeout=20_000)
        logs = {name: page.evaluate("window.tendPacer.log") for name, page in pages.items()}
        # The first entry is the phase already under way when the page opened, not a boundary.
        real = {
            name: {(e["cycle"], e["index"]): e["epoch"] - skews[name] for e in entries[1:]}
            for name, entries in logs.items()
        }
        shared = set(real["alice"]) & set(real["bob"])
        assert shared, logs
        for key in shared:
            assert abs(real["alice"][key] - real["bob"][key]) < 100, key
        # Both show the same phase now.
        phases = [p.evaluate("window.tendPacer.log.at(-1).index") for p in pages.values()]
        assert phases[0] == phases[1]
        breath.refresh_from_db()
        assert breath.guest_id == bob.pk

        # Bob ends it; alice's screen learns within a poll or two and says so kindly.
        pages["bob"].get_by_role("button", name="End for both of us").click()
        assert pages["bob"].get_by_role("heading", name="This shared breath has ended").is_visible()
        pages["alice"].locator("[data-together-status]").filter(
            has_text="This shared breath has ended"
        ).wait_for(timeout=8_000)
        assert pages["alice"].evaluate("window.tendPacer.state") == "stopped"
        # The link is dead for both.
        assert pages["alice"].goto(url).status == 410
    finally:
        for page in pages.values():
            page.context.close()


def test_a_third_person_cannot_join_and_an_expired_link_is_gone(
    live_server: Any, browser: Any, alice: User, bob: User, carol: User
) -> None:
    breath, token = shared_breath_start(host=alice, minutes=5)
    url = f"{live_server.url}/practices/together/{token}/"
    page = new_page(browser, DESKTOP)
    try:
        sign_in(page, live_server, bob)
        assert page.goto(url).status == 200
        page.context.clear_cookies()
        sign_in(page, live_server, carol)
        assert page.goto(url).status == 404
        SharedBreath.objects.filter(id=breath.id).update(expires_at=breath.started_at)
        response = page.goto(url)
        assert response.status == 410
        assert page.get_by_text("This link no longer works").is_visible()
        screenshot(page, "practices-together-ended-desktop")
    finally:
        page.context.close()


def test_starting_a_shared_pacer_gives_a_link_to_copy(
    live_server: Any, desktop_page: Any, alice: User
) -> None:
    page = desktop_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + "/practices/practice/breathe_together/")
    page.get_by_role("button", name="Start and get a link").click()
    page.wait_for_url(re.compile(r"/practices/together/[\w-]+/$"))
    link = page.get_by_label("Link", exact=True).input_value()
    assert link == page.url
    wait_until(page, "window.tendPacer.state === 'running'")
    time.sleep(0.2)
    screenshot(page, "practices-together-host-desktop")
    assert_accessible(page)
