"""From the call to the client's own map, in real Chromium on a phone (375x812) and on a laptop
(1280x800): carol fills the worksheet from the intake and hands it over; the person signs up
from the emailed link, brings two themes and the recent moment into their journal, and their
trigger map shows them; carol sees it only while they share it.

The same steps run at each size (one parametrized journey, about 45 seconds each), with a
screenshot and an axe-core check of every page: coaching-journey-<size>-<step>.png."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tend.accounts.models import User
from tend.booking.tests.factories import book, days_ahead, default_call, local, practitioner
from tend.coaching.tests.factories import intake
from tend.conftest import EVERY_IMPACT, PHONE, assert_accessible, new_page, screenshot
from tend.connections.models import Share
from tend.journal.models import Moment, Theme
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "river@example.test"
PASSWORD = "slow-tide-at-dusk-9"
CUE = "Sam's phone lit up at dinner and they smiled at it"
# The laptop: 1280x800 (the suite's DESKTOP is a little taller).
WIDE = {"width": 1280, "height": 800}
SIZES = {
    "phone": (PHONE, {"is_mobile": True, "has_touch": True}),
    "wide": (WIDE, {}),
}


def look(page: Any, name: str) -> None:
    page.wait_for_load_state("networkidle")
    # From the top, as the page is met: a full-page shot of a scrolled page draws the sticky top
    # bar half-way down it.
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"coaching-journey-{page.size}-{name}")
    # Every page of the journey is held to all of axe's rules, the minor ones too.
    assert_accessible(page, EVERY_IMPACT)
    assert page.console_errors == [], page.console_errors


@pytest.mark.parametrize("size", SIZES)
def test_a_call_becomes_a_clients_own_map(
    live_server: Any, browser: Any, carol: User, size: str
) -> None:
    viewport, options = SIZES[size]

    def opened(**more: Any) -> Any:
        page = new_page(browser, viewport, **options, **more)
        page.size = size
        return page

    steps = iter(range(1, 100))

    def step(page: Any, name: str) -> None:
        """Look at the next step of the journey: coaching-journey-<size>-<nn>-<name>.png."""
        look(page, f"{next(steps):02d}-{name}")

    practitioner(carol)
    booking, _secret = book(
        default_call(carol), local(days_ahead(), 10), email=EMAIL, name="River", intake=intake(CUE)
    )
    c = opened()
    r = opened()
    try:
        sign_in(c, live_server, carol)
        # Carol opens the call from her calls and starts its worksheet.
        c.goto(f"{live_server.url}/booking/calls/")
        step(c, "calls")
        c.locator(f"a[href='/booking/calls/{booking.id}/']").click()
        c.get_by_role("link", name="Open the worksheet").click()
        c.wait_for_url(f"**/coaching/calls/{booking.id}/worksheet/")
        # Filled from the intake: the recent moment's words, states, place and intensity.
        assert c.get_by_label("What happened (the cue)").input_value() == CUE
        assert c.locator("#moment_states-flight").is_checked()
        assert c.get_by_label("Where they felt it").input_value() == "chest"
        step(c, "worksheet-from-intake")

        # During the call.
        c.get_by_label("Themes, one per line").fill("Phone at dinner\nDate nights")
        c.get_by_label("The story (the thought that spiralled)").fill(
            "They would rather be with someone else"
        )
        c.get_by_label("The part that feels unsafe").fill("The part that fears being left")
        c.locator("label[for='needs-left_behind']").click()
        c.get_by_label("People they named, one per line").fill("Sam")
        c.get_by_label("What helps", exact=True).fill("A hand on my chest, feet on the floor")
        c.get_by_role("button", name="Save the worksheet").click()
        c.wait_for_load_state("networkidle")
        c.get_by_text("The worksheet is saved.").wait_for()
        step(c, "worksheet-saved")

        # Hand it over: an invitation to the address River booked with.
        mail.outbox.clear()
        c.get_by_role("button", name="Send the invitation").click()
        c.get_by_text("Sent.").wait_for()
        step(c, "handed-over")
        (email,) = mail.outbox
        assert email.to == [EMAIL] and "Phone at dinner" not in email.body
        link = re.search(r"https?://\S+/connections/join/\?t=\S+", email.body)
        assert link is not None
        join = urlsplit(link.group(0))
        join_path = f"{join.path}?{join.query}"

        # River opens the link, signs up and confirms, which signs them in and comes back to it.
        r.goto(live_server.url + join_path)
        assert "Carol invites" in r.inner_text("main")
        step(r, "join")
        r.get_by_role("link", name="Create an account").click()
        r.get_by_label("Email").fill(EMAIL)
        r.get_by_label("Password", exact=True).fill(PASSWORD)
        r.get_by_label("Password (again)").fill(PASSWORD)
        step(r, "sign-up")
        r.get_by_role("button", name="Create an account").click()
        r.get_by_role("heading", name="Check your email").wait_for()
        step(r, "check-email")
        confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
        assert confirm is not None
        r.goto(live_server.url + confirm.group(1))
        step(r, "confirm-email")
        r.get_by_role("button", name="Confirm my email address").click()
        r.wait_for_url("**/connections/join/")
        step(r, "join-signed-in")
        r.get_by_role("button", name="Accept and connect").click()
        r.wait_for_url("**/connections/*-*/")
        step(r, "connected")

        # The map from the call: River chooses what becomes theirs.
        r.get_by_role("link", name="Open the map").click()
        r.wait_for_url("**/coaching/maps/*/")
        assert CUE in r.inner_text("main")
        step(r, "map-handed-over")
        moment_map = r.url.rstrip("/").rsplit("/", 1)[-1]
        r.locator("label[for='item-moment']").click()
        r.locator("label[for='item-theme0']").click()
        r.locator("label[for='item-theme1']").click()
        r.get_by_label("File the moment under").select_option(label="Phone at dinner")
        r.get_by_role("button", name="Bring what you chose into your journal").click()
        r.get_by_text("3 items are in your journal now.").wait_for()
        step(r, "brought")

        river = User.objects.get(email=EMAIL)
        moment = Moment.objects.get(author=river)
        assert moment.cue == CUE and moment.theme is not None
        assert {t.name for t in Theme.objects.filter(owner=river)} == {
            "Phone at dinner",
            "Date nights",
        }
        # The story was left with carol.
        assert moment.story == ""

        # Their trigger map shows the moment under its theme, and their themes both.
        r.goto(f"{live_server.url}/insights/")
        text = r.inner_text("main")
        assert "Phone at dinner" in text
        step(r, "their-map")
        r.goto(f"{live_server.url}/journal/themes/")
        text = r.inner_text("main")
        assert "Phone at dinner" in text and "Date nights" in text
        step(r, "their-themes")

        # Carol's client list: River, and what River shares (nothing yet).
        c.goto(f"{live_server.url}/coaching/clients/")
        assert "Shares nothing with you at the moment." in c.inner_text("main")
        step(c, "clients")
        # River's page, and a private note between calls.
        c.get_by_role("link", name="river").click()
        assert "Nothing at the moment." in c.inner_text("main")
        c.get_by_label("A new note").fill("Try the 4-6 breath before dates")
        c.get_by_role("button", name="Save the note").click()
        c.get_by_text("Your note is saved.").wait_for()
        step(c, "client-note")
        client_page = c.url

        # Until River shares the map, carol has no way to it; River shares it.
        r.goto(f"{live_server.url}/connections/")
        r.get_by_role("link", name="Carol").first.click()
        r.get_by_role("link", name="Share something with Carol").click()
        r.get_by_label("My trigger map").check()
        step(r, "share-form")
        r.get_by_role("button", name="Share", exact=True).click()
        r.wait_for_url("**/connections/*-*/")
        step(r, "shared-map")
        # Carol sees it in place on River's page, and on its shared page.
        c.goto(client_page)
        assert "Their trigger map" in c.inner_text("main")
        assert "Phone at dinner" in c.inner_text("main")
        shared = Share.objects.get(owner=river, scope="trigger_map")
        shared_map = f"{live_server.url}/connections/shared/{shared.id}/"
        c.goto(shared_map)
        assert "Phone at dinner" in c.inner_text("main")
        step(c, "carol-sees-shared-map")

        # River takes it back: carol's next request is the same 404 as for nothing.
        r.get_by_role("button", name="Revoke").click()
        r.wait_for_url("**/connections/*-*/")
        step(r, "revoked")
        response = c.goto(shared_map)
        assert response is not None and response.status == 404
        c.console_errors.clear()  # that 404 was the point
        step(c, "gone")
        c.goto(client_page)
        assert "Nothing at the moment." in c.inner_text("main")
        step(c, "after-revoke")

        # In dark, as each of them may have it: the map handed over and the worksheet.
        for who, path, name in (
            (river, f"/coaching/maps/{moment_map}/", "map-dark"),
            (carol, f"/coaching/calls/{booking.id}/worksheet/", "worksheet-dark"),
        ):
            dark = opened(color_scheme="dark")
            sign_in(dark, live_server, who)
            dark.goto(live_server.url + path)
            step(dark, name)
            dark.context.close()
    finally:
        c.context.close()
        r.context.close()
