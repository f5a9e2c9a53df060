"""Light or dark by choice: a person's pick in Settings wins over the device, at 375x812."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, screenshot
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BACKGROUND = "getComputedStyle(document.body).backgroundColor"
LIGHT_BG = "rgb(247, 243, 238)"  # --bg in light
DARK_BG = "rgb(26, 25, 23)"  # --bg in dark


def choose(page: Any, live_server: Any, label: str) -> None:
    page.goto(f"{live_server.url}/settings/")
    page.get_by_label("Light or dark").select_option(label=label)
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()


def test_choosing_dark_renders_dark_on_a_light_device_and_light_on_a_dark_one(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    page.emulate_media(color_scheme="light")
    page.goto(f"{live_server.url}/home/")
    assert page.evaluate(BACKGROUND) == LIGHT_BG

    choose(page, live_server, "Dark")
    alice.refresh_from_db()
    assert alice.appearance == "dark"
    assert page.evaluate(BACKGROUND) == DARK_BG
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "dark"
    screenshot(page, "settings-appearance-dark-phone")
    assert_accessible(page)
    page.goto(f"{live_server.url}/journal/new/")
    assert page.evaluate(BACKGROUND) == DARK_BG
    screenshot(page, "capture-chosen-dark-phone")
    assert_accessible(page)

    # Light, chosen, stays light on a device that prefers dark.
    page.emulate_media(color_scheme="dark")
    choose(page, live_server, "Light")
    assert page.evaluate(BACKGROUND) == LIGHT_BG
    screenshot(page, "settings-appearance-light-on-dark-device-phone")
    assert_accessible(page)

    # Following the device again: dark here, because the device is.
    choose(page, live_server, "Follow this device")
    assert page.evaluate(BACKGROUND) == DARK_BG


def test_signed_out_pages_follow_the_device(live_server: Any, phone_page: Any) -> None:
    page = phone_page
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}/")
    assert page.evaluate(BACKGROUND) == DARK_BG
    page.emulate_media(color_scheme="light")
    assert page.evaluate(BACKGROUND) == LIGHT_BG
