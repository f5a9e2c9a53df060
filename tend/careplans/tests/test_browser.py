"""Care plans in two browsers: alice proposes, bob agrees (version 1), bob proposes a change,
the diff shows, alice agrees (version 2, version 1 in the history). Also the repair pages."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tend.accounts.models import User
from tend.careplans.models import CarePlan, Version
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.connections.tests.factories import connect
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}


def test_alice_proposes_bob_agrees_bob_changes_it_alice_agrees_and_history_keeps_version_1(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    connect(alice, bob)
    a = new_page(browser, WIDE)
    b = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(a, live_server, alice)
        sign_in(b, live_server, bob)

        # Alice starts a plan with bob and proposes a first tender place.
        a.goto(f"{live_server.url}/careplans/")
        screenshot(a, "careplans-index-desktop")
        a.get_by_role("link", name="New care plan").click()
        a.get_by_label("Bob").check()
        assert_accessible(a)
        a.get_by_role("button", name="Start the plan").click()
        a.get_by_role("link", name="Propose a change").click()
        a.get_by_label("Tender place", exact=True).fill("When you go on a new date")
        a.get_by_label("What it feels like").fill("A hollow feeling, as if I could be replaced")
        a.get_by_label("What I will do for myself").fill("Call a friend, take a walk")
        a.get_by_label("What I ask for").fill("A short text when you get home")
        assert_accessible(a)
        screenshot(a, "careplans-propose-desktop")
        a.get_by_role("button", name="Share my proposal").click()
        expect(a.locator("#version-status")).to_have_text("Proposed")
        assert "Waiting for: Bob" in a.content()
        plan = CarePlan.objects.get()

        # Bob sees the proposal and agrees: version 1 is active.
        b.goto(f"{live_server.url}/careplans/")
        expect(b.get_by_text("A proposal is waiting for you")).to_be_visible()
        b.get_by_role("link", name="Care plan with Alice").click()
        b.get_by_role("link", name="Proposed by Alice").click()
        expect(b.get_by_text("A short text when you get home").first).to_be_visible()
        assert_accessible(b)
        screenshot(b, "careplans-proposal-phone")
        b.get_by_role("button", name="I agree").tap()
        expect(b.get_by_role("heading", name="The plan (version 1)")).to_be_visible()
        v1 = Version.objects.get(plan=plan, number=1)
        assert v1.status == "active"
        screenshot(b, "careplans-plan-phone")

        # Bob proposes a change; the diff shows what changes.
        b.get_by_role("link", name="Propose a change").tap()
        b.get_by_label("What I ask for").first.fill("A short call before you sleep")
        b.get_by_label("What the others offer").first.fill("I will call before I sleep")
        b.get_by_role("button", name="Share my proposal").tap()
        expect(b.locator(".diff-removed").first).to_be_visible()
        removed = b.locator(".diff-removed")
        added = b.locator(".diff-added")
        assert "A short text when you get home" in removed.all_inner_texts()[0]
        assert any("A short call before you sleep" in t for t in added.all_inner_texts())

        # Alice reads the diff and agrees: version 2 is active, version 1 is in the history.
        a.goto(f"{live_server.url}/careplans/{plan.id}/")
        a.get_by_role("link", name="Proposed by Bob").click()
        expect(a.locator(".diff-added").first).to_be_visible()
        assert_accessible(a)
        screenshot(a, "careplans-diff-desktop")
        a.get_by_role("button", name="I agree").click()
        expect(a.get_by_role("heading", name="The plan (version 2)")).to_be_visible()
        expect(a.get_by_text("I will call before I sleep")).to_be_visible()
        a.get_by_role("link", name="History").click()
        expect(a.locator(".history-list")).to_be_visible()
        history = a.locator(".history-list").inner_text()
        assert "Version 2" in history and "Version 1" in history and "Earlier version" in history
        assert "agreed by you" in history and "Bob (" in history
        screenshot(a, "careplans-history-desktop")
        assert Version.objects.get(plan=plan, number=1).status == "superseded"
        assert not a.console_errors and not b.console_errors
    finally:
        a.context.close()
        b.context.close()


def test_the_guide_and_the_repair_pages_read_well_on_a_phone(
    live_server: Any, phone_page: Any, alice: User, bob: User
) -> None:
    connect(alice, bob)
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/careplans/new/")
    page.get_by_label("Bob").check()
    page.get_by_role("button", name="Start the plan").tap()
    page.get_by_role("link", name="Calm conversation guide").tap()
    expect(page.get_by_text("Am I calm and grounded enough right now?")).to_be_visible()
    screenshot(page, "careplans-guide-phone")
    page.get_by_role("link", name="Not right now").tap()
    expect(page.get_by_role("link", name="Choose a practice")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/careplans/repair/")
    page.get_by_label("Let's come back in").select_option("60")
    assert_accessible(page)
    screenshot(page, "careplans-repair-phone")
    page.get_by_role("button", name="Call a pause").tap()
    expect(page.get_by_text("agreed to come back at")).to_be_visible()
    page.get_by_label("What happened for me").fill("I felt rushed")
    page.get_by_label("My part").fill("I raised my voice")
    page.get_by_label("What I'll try next").fill("Ask for a pause sooner")
    assert_accessible(page)
    page.get_by_role("button", name="We're back: save my reflection").tap()
    expect(page.get_by_text("I raised my voice")).to_be_visible()
    screenshot(page, "careplans-repair-detail-phone")
    page.get_by_role("link", name="Turn 'what I'll try next' into a care-plan proposal").tap()
    expect(page.locator("textarea[name$='-body']").last).to_have_value("Ask for a pause sooner")
    assert_accessible(page)
    screenshot(page, "careplans-propose-from-repair-phone")
    assert not page.console_errors
