"""The moment page's way into a practice, the invite list and an invitation opened from its
notice, in Chromium at 375x812."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import PHONE, new_page, screenshot
from tend.connections.tests.factories import connect
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import sign_in
from tend.practices.models import SharedBreath
from tend.practices.tests.test_pacer_browser import wait_until

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


def test_an_invited_connection_opens_the_notice_and_breathes_with_the_host(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    connect(alice, bob)
    host = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    guest = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(host, live_server, alice)
        sign_in(guest, live_server, bob)
        host.goto(f"{live_server.url}/practices/practice/breathe_together/")
        host.locator("form[action='/practices/together/'] button[type=submit]").first.click()
        host.get_by_role("button", name="Send to Bob").click()
        host.get_by_role("heading", name="The seat is kept").wait_for()
        # Once the seat is kept there is no link left to copy and nobody else to send it to.
        assert host.locator("#together-link").count() == 0
        assert host.get_by_role("button", name="Send to").count() == 0
        screenshot(host, "practices-together-kept-phone")

        breath = SharedBreath.objects.get(host=alice)
        guest.goto(f"{live_server.url}/notifications/")
        guest.get_by_role("button", name="Someone invites you to breathe together.").click()
        guest.wait_for_url(f"{live_server.url}/practices/together/{breath.id}/")
        guest.get_by_role("heading", name="Breathing with Alice").wait_for()
        wait_until(guest, "window.tendPacer.state === 'running'")
        # The host's page learns from its next poll that the invitee is here.
        host.locator("[data-together-status]").filter(has_text="You are both here.").wait_for(
            timeout=8_000
        )
        screenshot(guest, "practices-together-invited-phone")

        guest.get_by_role("button", name="End for both of us").click()
        guest.get_by_role("heading", name="This shared breath has ended").wait_for()
        host.locator("[data-together-status]").filter(
            has_text="This shared breath has ended"
        ).wait_for(timeout=8_000)
        breath.refresh_from_db()
        assert breath.guest_id == bob.pk and breath.ended_at is not None
        # A finished session answers its status polls with 410, which the browser reports.
        errors = [e for p in (host, guest) for e in p.console_errors if "status of 410" not in e]
        assert not errors
    finally:
        host.context.close()
        guest.context.close()
