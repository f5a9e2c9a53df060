"""Offline capture and drafts in real Chromium at 375x812: nothing typed is lost."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from tend.accounts.models import User
from tend.conftest import assert_accessible, screenshot
from tend.journal.models import Moment
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import open_folds, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = ".offline-queue-text"


def open_capture_with_worker(page: Any, live_server: Any, query: str = "") -> None:
    assert page.goto(f"{live_server.url}/journal/new/{query}").status == 200
    # The worker has installed (the capture pages and files are kept) and controls this page.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # The live server shares one in-memory SQLite connection between its threads, so the
    # worker's install-time fetch can fail when it lands beside the page's own requests. A page
    # opened through the worker is kept too: open it again until it is.
    kept = f"caches.match('/journal/new/{query}').then(Boolean)"
    for _attempt in range(3):
        if page.evaluate(kept):
            break
        page.reload()
    assert page.evaluate(kept), "the worker did not keep the capture page"


def test_two_moments_logged_offline_arrive_exactly_once_when_the_network_returns(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    open_capture_with_worker(page, live_server)

    page.context.set_offline(True)
    page.get_by_role("checkbox", name=re.compile(r"^Freeze\b")).click()
    page.get_by_label("What happened? (optional)").fill("OFFLINE-ONE the door closed hard")
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="One moment is saved on this device").wait_for()
    # The form is ready for the next one.
    assert page.get_by_label("What happened? (optional)").input_value() == ""
    page.get_by_label("What happened? (optional)").fill("OFFLINE-TWO no reply for hours")
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="2 moments are saved on this device").wait_for()
    assert Moment.objects.count() == 0
    # One calm sentence, not "Saved on this device…" followed by the same news again.
    assert page.locator(WAITING).inner_text() == (
        "2 moments are saved on this device and will be sent when you\u2019re back online."
    )
    assert page.locator(".offline-queue").inner_text().lower().count("on this device") == 1
    screenshot(page, "journal-offline-just-saved-phone")

    # Closed and opened again without a network: the worker answers with the kept page, and the
    # page shows what is waiting.
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.locator(WAITING).filter(has_text="2 moments are saved on this device").wait_for()
    assert page.locator(".offline-queue-item").count() == 2
    screenshot(page, "journal-offline-waiting-phone")
    assert_accessible(page)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(400)  # let the colour transitions finish before the picture
    screenshot(page, "journal-offline-waiting-phone-dark")
    assert_accessible(page)
    page.emulate_media(color_scheme="light")
    assert Moment.objects.count() == 0

    page.context.set_offline(False)
    page.locator(WAITING).filter(has_text="saved on this device has been sent").wait_for()
    moments = Moment.objects.filter(author=alice).order_by("occurred_at")
    assert [(m.kind, m.cue, m.states) for m in moments] == [
        ("activation", "OFFLINE-ONE the door closed hard", ["freeze"]),
        ("activation", "OFFLINE-TWO no reply for hours", []),
    ]
    assert all(m.idempotency_key for m in moments)

    # Opening the page again sends nothing twice.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(".offline-queue").is_hidden()
    assert Moment.objects.count() == 2
    assert not page.console_errors


def test_a_glimmer_saved_offline_stays_a_glimmer(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    open_capture_with_worker(page, live_server, "?kind=glimmer")
    page.context.set_offline(True)
    page.reload()
    page.get_by_role("checkbox", name=re.compile(r"^Connected\b")).click()
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="One moment is saved").wait_for()
    page.context.set_offline(False)
    page.locator(WAITING).filter(has_text="has been sent").wait_for()
    glimmer = Moment.objects.get(author=alice)
    assert (glimmer.kind, glimmer.states) == ("glimmer", ["connected"])


def test_an_empty_moment_is_not_queued_and_the_page_says_what_to_add(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    open_capture_with_worker(page, live_server)
    page.context.set_offline(True)
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="Choose how your body is responding").wait_for()
    count = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("tend-offline", 1);
            open.onsuccess = () => {
              const req = open.result.transaction("moments").objectStore("moments").count();
              req.onsuccess = () => resolve(req.result);
            };
        })"""
    )
    assert count == 0


def test_a_refused_moment_stays_on_the_device_with_a_plain_message(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    # The server already holds a different moment under the key the device will use.
    moment_log(author=alice, idempotency_key="11111111-1111-4111-8111-111111111111", cue="first")
    open_capture_with_worker(page, live_server)
    page.context.set_offline(True)
    page.evaluate("crypto.randomUUID = () => '11111111-1111-4111-8111-111111111111'")
    page.get_by_label("What happened? (optional)").fill("a different moment")
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="One moment is saved").wait_for()
    page.context.set_offline(False)
    page.get_by_text("its key was already used for a different moment").wait_for()
    assert Moment.objects.count() == 1
    assert page.locator(".offline-queue-item").count() == 1
    assert_accessible(page)
    # Removing it is the person's choice, and asks first.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove from this device").click()
    page.locator(".offline-queue-item").first.wait_for(state="detached")


def test_a_draft_comes_back_after_the_page_closes_and_can_be_discarded(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    context = phone_page.context
    sign_in(phone_page, live_server, alice)
    phone_page.goto(live_server.url + "/journal/new/")
    phone_page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).click()
    phone_page.get_by_label("What happened? (optional)").fill("DRAFT they left without a word")
    phone_page.close()

    page = context.new_page()
    assert page.goto(live_server.url + "/journal/new/").status == 200
    page.get_by_text("Draft restored").wait_for()
    cue = page.get_by_label("What happened? (optional)")
    assert cue.input_value() == "DRAFT they left without a word"
    assert page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).is_checked()
    screenshot(page, "journal-draft-restored-phone")
    assert_accessible(page)

    page.get_by_role("button", name="Discard draft").click()
    assert cue.input_value() == ""
    assert not page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).is_checked()
    page.reload()
    assert page.get_by_text("Draft restored").is_hidden()

    # A saved draft is gone: opening the form again starts empty.
    cue.fill("saved for real")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f-]{36}/$"))
    moment = Moment.objects.get(author=alice)
    page.goto(live_server.url + "/journal/new/")
    assert cue.input_value() == ""
    assert page.get_by_text("Draft restored").is_hidden()

    # The edit form keeps its own draft.
    page.goto(f"{live_server.url}/journal/{moment.id}/edit/")
    open_folds(page)  # the edit form folds its sections
    page.get_by_label("What story did your mind tell?").fill("DRAFT-STORY they'd rather be away")
    chest = page.locator("#bodymap-chest")
    chest.get_by_role("checkbox", name="Chest", exact=True).check()
    chest.get_by_label("Chest: how strong, from 0 to 10?").fill("7")
    page.reload()
    page.get_by_text("Draft restored").wait_for()
    story = page.get_by_label("What story did your mind tell?")
    assert story.input_value() == "DRAFT-STORY they'd rather be away"
    assert page.get_by_label("What happened?").input_value() == "saved for real"
    assert chest.get_by_role("checkbox", name="Chest", exact=True).is_checked()
    assert chest.get_by_label("Chest: how strong, from 0 to 10?").input_value() == "7"
    # The figure follows the restored list.
    assert page.locator(".bodymap-chosen").inner_text() == "Chosen: Chest"
    assert_accessible(page)


def test_quick_exit_forgets_drafts_but_keeps_moments_waiting_to_sync(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    # The neutral page is outside; answer for it here so the test needs no internet.
    page.context.route(
        settings.TEND_QUICK_EXIT_URL + "**", lambda route: route.fulfill(body="elsewhere")
    )
    open_capture_with_worker(page, live_server)
    page.context.set_offline(True)
    page.get_by_label("What happened? (optional)").fill("queued before leaving")
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="One moment is saved").wait_for()
    page.get_by_label("What happened? (optional)").fill("DRAFT half a thought")
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(settings.TEND_QUICK_EXIT_URL + "**")

    page.goto(live_server.url + "/journal/new/")
    assert page.get_by_label("What happened? (optional)").input_value() == ""
    drafts = page.evaluate(
        "Object.keys(localStorage).filter((k) => k.startsWith('tend:draft:')).length"
    )
    assert drafts == 0
    page.locator(WAITING).filter(has_text="One moment is saved").wait_for()
    page.context.set_offline(False)
    page.locator(WAITING).filter(has_text="has been sent").wait_for()
    assert Moment.objects.get(author=alice).cue == "queued before leaving"


KEPT_URLS = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        urls.push(url.pathname + url.search);
      }
    }
    return urls;
}"""


def test_the_device_keeps_no_personal_page_and_offline_the_timeline_offers_capture(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    canary = "CANARY-offline-7b3e"
    moment, _created = moment_log(author=alice, cue=canary, states=["fight"])
    sign_in(page, live_server, alice)
    open_capture_with_worker(page, live_server)
    # Seen online through the worker: the timeline and the moment itself.
    assert page.goto(f"{live_server.url}/journal/").status == 200
    assert page.goto(f"{live_server.url}/journal/{moment.id}/").status == 200
    assert canary in page.content()

    kept = page.evaluate(KEPT_URLS)
    assert set(kept) - {"/journal/new/", "/journal/new/?kind=glimmer"} == {
        url for url in kept if url.startswith("/static/")
    }

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/journal/")
    assert page.get_by_role("heading", name="Log a moment").is_visible()
    assert canary not in page.content()


def test_signing_out_forgets_the_kept_capture_page(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    open_capture_with_worker(page, live_server)
    page.goto(f"{live_server.url}/accounts/logout/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"^(?!.*/logout/)"))
    page.wait_for_function(
        "caches.keys().then(async (names) => !(await caches.match('/journal/new/')))"
    )
    assert not [url for url in page.evaluate(KEPT_URLS) if url.startswith("/journal/")]
