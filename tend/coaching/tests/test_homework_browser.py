"""Homework, in real Chromium on a phone (375x812), with desktop looks at carol's pages: carol
suggests a breath practice weekly with a note; alice sees it on her home page and does it twice,
rating before and after; carol's client page shows no progress until alice shares it, then two
sessions and their before and after; alice revokes, and the next request is a 404."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import DESKTOP, PHONE, assert_accessible, new_page, screenshot
from tend.connections.models import Share
from tend.connections.tests.factories import connect
from tend.journal.tests.test_browser import sign_in
from tend.practices.models import PracticeSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(page: Any, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")  # from the top, as the page is met
    screenshot(page, f"coaching-{name}")
    assert_accessible(page)
    assert page.console_errors == [], page.console_errors

NOTE = "Try it before bed, even for one minute."


def practise(page: Any, before: int, after: int) -> None:
    """Start the practice from the card, stop after a breath, rate before and after, save."""
    page.get_by_role("link", name="Start Long exhale").click()
    page.wait_for_url("**/practices/practice/long_exhale/")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Stop").click()
    rate = page.locator("[data-rate]")
    rate.wait_for()
    rate.locator(f"label.scale-option:has(input[name=intensity_before][value='{before}'])").click()
    rate.locator(f"label.scale-option:has(input[name=intensity_after][value='{after}'])").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved to your practice history.").wait_for()


def desktop_look(browser: Any, live_server: Any, user: User, path: str, name: str) -> str:
    d = new_page(browser, DESKTOP)
    try:
        sign_in(d, live_server, user)
        d.goto(live_server.url + path)
        look(d, name)
        return d.inner_text("main")
    finally:
        d.context.close()


def test_homework_progress_is_seen_only_while_shared(
    live_server: Any, browser: Any, alice: User, carol: User
) -> None:
    connection = connect(carol, alice, kind="practitioner")
    client_page = f"/coaching/clients/{connection.id}/"
    c = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    a = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        # Carol suggests the long exhale, weekly on Monday and Thursday, with a note.
        sign_in(c, live_server, carol)
        c.goto(live_server.url + client_page)
        look(c, "homework-01-client-page-phone")
        c.get_by_label("Practice", exact=True).select_option("long_exhale")
        c.locator("label[for='rhythm-weekly']").click()
        c.locator("label[for='day-MO']").click()
        c.locator("label[for='day-TH']").click()
        c.get_by_label("A note for them (optional)").fill(NOTE)
        c.get_by_role("button", name="Suggest", exact=True).click()
        c.get_by_text("Suggested.").wait_for()
        assert "Each week: Mon, Thu" in c.inner_text("main")
        look(c, "homework-02-suggested-phone")

        # Alice finds it on her home page, as a gentle card, and does it twice.
        sign_in(a, live_server, alice)
        a.goto(f"{live_server.url}/home/")
        card = a.locator(".coach-suggestion")
        assert "A suggestion from Carol" in card.inner_text()
        assert NOTE in card.inner_text()
        look(a, "homework-03-home-card-phone")
        practise(a, 7, 4)
        look(a, "homework-04-first-session-phone")
        a.goto(f"{live_server.url}/home/")
        practise(a, 6, 3)
        assert PracticeSession.objects.filter(author=alice).count() == 2

        # Carol sees no progress: alice has not shared it.
        c.goto(live_server.url + client_page)
        progress = c.locator(".coach-progress").inner_text()
        assert "Not shared with you" in progress and "sessions" not in progress
        look(c, "homework-05-not-shared-phone")
        api = f"{live_server.url}/api/v1/coaching/clients/{connection.id}/progress"
        assert c.request.get(api).status == 404

        # Alice shares her practice progress from the connection's page.
        a.goto(f"{live_server.url}/connections/{connection.id}/")
        look(a, "homework-06-connection-page-phone")
        a.get_by_role("link", name="Share something with Carol").click()
        a.locator("label[for='scope_practice_progress']").click()
        look(a, "homework-07-share-progress-phone")
        a.get_by_role("button", name="Share", exact=True).click()
        a.get_by_text("Shared with Carol").wait_for()

        # Now carol sees two sessions and their before and after.
        c.goto(live_server.url + client_page)
        progress = c.locator(".coach-progress").inner_text()
        assert "2 sessions" in progress and "7 → 4" in progress and "6 → 3" in progress
        assert c.locator(".coach-progress svg").count() == 1
        look(c, "homework-08-progress-phone")
        assert c.request.get(api).status == 200
        text = desktop_look(
            browser, live_server, carol, client_page, "homework-09-progress-desktop"
        )
        assert "2 sessions" in text

        # Alice sees that carol looked, then revokes; the next request is a 404.
        a.goto(f"{live_server.url}/connections/shares/")
        assert "practice progress" in a.inner_text("main")
        look(a, "homework-10-who-viewed-phone")
        share = Share.objects.get(scope="practice_progress")
        a.locator(f"form[action='/connections/shares/{share.id}/revoke/'] button").click()
        a.get_by_text("Revoked.").wait_for()
        assert c.request.get(api).status == 404
        c.goto(f"{live_server.url}/connections/shared/{share.id}/")
        assert "2 sessions" not in c.inner_text("main")
        c.console_errors.clear()  # that page's 404 is the point
        c.goto(live_server.url + client_page)
        assert "Not shared with you" in c.locator(".coach-progress").inner_text()
        look(c, "homework-11-revoked-phone")
    finally:
        c.context.close()
        a.context.close()
