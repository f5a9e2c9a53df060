"""Quick capture in real Chromium: who and which theme on the 3-tap screen, and a server that
fails while the browser is online (the moment waits on the device and lands exactly once)."""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.journal.models import Moment, Theme
from tend.journal.people import person_add
from tend.journal.tests.test_browser import Taps, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = ".offline-queue-text"


def test_who_and_which_theme_are_picked_on_quick_capture_and_three_taps_still_save(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    person_add(owner=alice, label="Robin")
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + "/home/")

    # The row is there, collapsed: the quick path is still three taps.
    taps = Taps()
    taps.tap(page.locator(".capture-cta"))
    page.wait_for_url("**/journal/new/")
    who = page.locator("details.capture-who")
    who.wait_for()
    assert who.get_attribute("open") is None
    taps.tap(page.get_by_role("checkbox", name=re.compile(r"^Flight\b")))
    taps.tap(page.get_by_role("button", name="Save"))
    page.wait_for_url(re.compile(r"/journal/[0-9a-f-]{36}/$"))
    assert taps.count == 3
    first = Moment.objects.get(author=alice)
    assert first.states == ["flight"] and not first.people.exists() and first.theme_id is None
    assert page.get_by_text("Saved. You can add more now, later, or not at all.").is_visible()

    # Opened, it names people and files the moment under a theme, in the same Save.
    page.goto(live_server.url + "/journal/new/")
    page.get_by_text("Who, and which theme? (optional)").click()
    page.get_by_role("checkbox", name="Sam").check()
    page.get_by_label("File it under").select_option(label="phone at dinner")
    page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).check()
    screenshot(page, "journal-capture-who-phone")
    assert_accessible(page)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(400)  # let the colour transitions finish before the picture
    screenshot(page, "journal-capture-who-phone-dark")
    assert_accessible(page)
    page.emulate_media(color_scheme="light")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f-]{36}/$"))
    second = Moment.objects.exclude(id=first.id).get(author=alice)
    assert [p.id for p in second.people.all()] == [sam.id]
    assert second.theme_id == theme.id and second.states == ["fight"]
    assert "Sam" in page.locator(".moment-detail").inner_text()
    assert page.console_errors == []


def test_quick_capture_with_who_and_theme_on_a_desktop(
    live_server: Any, browser: Any, alice: User
) -> None:
    for label in ("Sam", "Robin", "Ezra"):
        person_add(owner=alice, label=label)
    Theme.objects.create(owner=alice, name="partner's date nights")
    page = new_page(browser, {"width": 1280, "height": 900})
    try:
        sign_in(page, live_server, alice)
        page.goto(live_server.url + "/journal/new/")
        page.get_by_text("Who, and which theme? (optional)").click()
        page.get_by_role("checkbox", name="Robin").wait_for()
        screenshot(page, "journal-capture-who-desktop")
        assert_accessible(page)
    finally:
        page.context.close()


def _phone_without_worker(browser: Any) -> Any:
    # The service worker would answer for the page's requests, out of page.route's sight.
    return new_page(browser, PHONE, is_mobile=True, has_touch=True, service_workers="block")


@pytest.mark.parametrize(
    "failure",
    [
        # The server stores the moment, but its answer never arrives: the retry must not
        # store it again.
        "answer-lost",
        # The server (or a proxy in front of it) fails before storing anything.
        "server-503",
        # No answer in time: the page stops waiting (the server may store it later or never).
        "timeout",
    ],
)
def test_a_capture_that_fails_while_online_waits_on_the_device_and_lands_exactly_once(
    live_server: Any, browser: Any, alice: User, failure: str
) -> None:
    page = _phone_without_worker(browser)
    keys: list[str] = []

    def fail_once(route: Any) -> None:
        request = route.request
        if request.method != "POST":
            route.continue_()
            return
        keys.append(request.headers.get("idempotency-key", ""))
        if len(keys) > 1:
            route.continue_()
        elif failure == "answer-lost":
            route.fetch()  # reaches the server, which stores the moment
            route.abort("connectionreset")
        elif failure == "timeout":
            # Slower than the page's limit (set below), then let it through: without the limit
            # the page would simply wait for this answer and move on to the moment.
            time.sleep(1.5)
            with contextlib.suppress(Exception):  # the page may have cancelled it already
                route.continue_()
        else:
            route.fulfill(status=503, body="busy")

    try:
        sign_in(page, live_server, alice)
        page.route(re.compile(r".*/api/v1/moments$"), fail_once)
        page.goto(live_server.url + "/journal/new/")
        page.locator("[data-offline-queue]").evaluate("(el) => el.dataset.sendTimeoutMs = '500'")
        page.get_by_role("checkbox", name=re.compile(r"^Freeze\b")).click()
        page.get_by_label("What happened? (optional)").fill("ONLINE-FAIL the call dropped")
        page.get_by_role("button", name="Save").click()

        # Still online, and the page says the moment is kept here and will go by itself.
        page.locator(WAITING).filter(has_text="Tend could not be reached just now").wait_for()
        assert "waiting to be sent" in page.locator(WAITING).inner_text()
        assert page.evaluate("navigator.onLine") is True
        assert page.get_by_label("What happened? (optional)").input_value() == ""
        screenshot(page, f"journal-capture-waiting-{failure}-phone")
        assert_accessible(page)

        # The retry (a few seconds later) gets through; the moment is there once.
        page.locator(WAITING).filter(has_text="has been sent").wait_for(timeout=20_000)
        moment = Moment.objects.get(author=alice)
        assert (moment.cue, moment.states) == ("ONLINE-FAIL the call dropped", ["freeze"])
        assert len(keys) == 2 and keys[0] == keys[1] == moment.idempotency_key
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator(".offline-queue").is_hidden()
        assert Moment.objects.filter(author=alice).count() == 1
    finally:
        page.context.close()


def test_a_draft_keeps_who_was_picked_though_the_row_arrives_after_the_page(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    person_add(owner=alice, label="Sam")
    person_add(owner=alice, label="Robin")
    context = phone_page.context
    sign_in(phone_page, live_server, alice)
    phone_page.goto(live_server.url + "/journal/new/")
    phone_page.get_by_text("Who, and which theme? (optional)").click()
    phone_page.get_by_role("checkbox", name="Robin").check()
    phone_page.get_by_label("What happened? (optional)").fill("DRAFT with Robin")
    phone_page.close()

    page = context.new_page()
    page.goto(live_server.url + "/journal/new/")
    page.get_by_text("Draft restored").wait_for()
    robin = page.get_by_role("checkbox", name="Robin")
    robin.wait_for(state="attached")
    page.wait_for_function("document.querySelector('details.capture-who input:checked') !== null")
    assert robin.is_checked()
    assert not page.get_by_role("checkbox", name="Sam").is_checked()
    assert page.get_by_label("What happened? (optional)").input_value() == "DRAFT with Robin"
    # Discarding the draft clears the row too.
    page.get_by_role("button", name="Discard draft").click()
    assert not robin.is_checked()


def test_a_refused_capture_goes_to_the_form_with_what_to_fix_and_is_not_queued(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + "/journal/new/")
    page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).click()
    cue = page.get_by_label("What happened? (optional)")
    cue.fill("the bell\u0007 rang")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Remove the invisible control characters").wait_for()
    assert page.get_by_label("What happened? (optional)").input_value() == "the bell\u0007 rang"
    assert page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).is_checked()
    waiting = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("tend-offline", 1);
            open.onsuccess = () => {
              const req = open.result.transaction("moments").objectStore("moments").count();
              req.onsuccess = () => resolve(req.result);
            };
        })"""
    )
    assert waiting == 0
    assert not Moment.objects.exists()


def test_a_refused_capture_goes_to_the_form_under_its_own_key(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    """The form post offline.js falls back to carries the queued moment's key, not the one the
    page was rendered with: the service worker serves that same copy again and again."""
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + "/journal/new/")
    key_field = page.locator("form.capture-form input[name=idempotency_key]")
    rendered = key_field.input_value()
    page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).click()
    page.get_by_label("What happened? (optional)").fill("the bell\u0007 rang")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Remove the invisible control characters").wait_for()
    # The page now shows the form as posted, with the key that was sent.
    posted = key_field.input_value()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", posted)
    assert posted != rendered
