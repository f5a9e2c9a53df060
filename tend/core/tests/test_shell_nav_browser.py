"""The phone's tab bar keeps every label whole; Settings stays one scroll away."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, new_page, screenshot
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where a tab's visible words begin and end on screen (a hidden "a moment" is left out).
LABEL_EDGES = """a => {
  const range = document.createRange();
  const rects = [];
  for (const node of a.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.classList.contains("visually-hidden")) continue;
    range.selectNodeContents(node);
    rects.push(...range.getClientRects());
  }
  return [Math.min(...rects.map(r => r.left)), Math.max(...rects.map(r => r.right))];
}"""


def test_the_phone_tab_bar_fits_and_settings_is_at_the_foot(
    phone_page: Any, live_server: Any, alice: User
) -> None:
    sign_in(phone_page, live_server, alice)
    phone_page.goto(f"{live_server.url}/home/")
    tabs = phone_page.locator("nav.nav li:visible a")
    boxes = [tabs.nth(i).bounding_box() for i in range(tabs.count())]
    assert tabs.count() == 6
    assert [tabs.nth(i).inner_text() for i in (0, 1, 3, 4, 5)] == [
        "Home",
        "Journal",
        "Map",
        "Practices",
        "Together",
    ]
    # Each label fits inside its own tab, and every tab is a generous target.
    for i in range(tabs.count()):
        assert tabs.nth(i).evaluate("a => a.scrollWidth <= a.clientWidth")
        assert boxes[i]["width"] >= 44 and boxes[i]["height"] >= 48
    # The words themselves stand apart: in equal columns "Practices" and "Together" came
    # within 2px of each other. Measured on the text, not on the tabs that hold it.
    words = [tabs.nth(i).evaluate(LABEL_EDGES) for i in range(tabs.count())]
    gaps = [right[0] - left[1] for left, right in itertools.pairwise(words)]
    assert min(gaps) >= 12, gaps
    screenshot(phone_page, "shell-tab-bar-phone")
    # Practices are one tap from anywhere, and the tab says where you are.
    tabs.filter(has_text="Practices").click()
    phone_page.wait_for_url("**/practices/")
    assert phone_page.locator('nav.nav a[aria-current="page"]').inner_text() == "Practices"
    phone_page.locator("footer").get_by_role("link", name="Settings", exact=True).click()
    phone_page.wait_for_url("**/settings/**")
    screenshot(phone_page, "shell-settings-from-footer-phone")
    assert_accessible(phone_page)


def test_desktop_keeps_settings_in_the_main_navigation(
    desktop_page: Any, live_server: Any, alice: User
) -> None:
    sign_in(desktop_page, live_server, alice)
    desktop_page.goto(f"{live_server.url}/home/")
    nav = desktop_page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Settings").is_visible()
    assert nav.get_by_role("link", name="Practices").is_visible()
    assert not desktop_page.locator(".footer-settings").is_visible()
    screenshot(desktop_page, "shell-home-desktop")


@pytest.mark.parametrize("width", [660, 800, 1024])
def test_between_phone_and_desktop_the_quick_exit_stays_on_screen(
    browser: Any, live_server: Any, alice: User, width: int
) -> None:
    page = new_page(browser, {"width": width, "height": 700})
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/home/")
    # Nothing scrolls sideways, the quick exit is whole, and the links keep to one row.
    assert page.evaluate("document.documentElement.scrollWidth") == width
    box = page.locator(".quick-exit").bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    tops = {round(b["y"]) for b in (a.bounding_box() for a in page.locator("nav.nav a").all()) if b}
    assert len(tops) == 1
    screenshot(page, f"shell-home-{width}")
    page.context.close()
