"""The moment page's way into a practice and the invite list, in Chromium at 375x812."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import PHONE, new_page, screenshot
from tend.connections.tests.factories import connect
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_moment_link_and_the_invite_list_look_right_on_a_phone(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    moment, _ = moment_log(author=alice, states=["freeze"], intensity=6)
    connect(alice, bob)
    page = new_page(browser, PHONE)
    try:
        sign_in(page, live_server, alice)
        page.goto(f"{live_server.url}/journal/{moment.id}/")
        screenshot(page, "practices-moment-resource-phone")
        page.get_by_role("link", name="Resource now with a practice").click()
        assert f"moment={moment.id}" in page.url and "intensity=6" in page.url
        page.goto(f"{live_server.url}/practices/practice/breathe_together/")
        page.locator("form[action='/practices/together/'] button[type=submit]").first.click()
        page.get_by_role("button", name="Send to").first.wait_for()
        screenshot(page, "practices-together-invite-phone")
    finally:
        page.context.close()
