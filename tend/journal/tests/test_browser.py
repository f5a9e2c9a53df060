"""The journal in real Chromium: quick capture in three taps on a phone, and every page checked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, client_for, new_page, screenshot
from tend.journal.models import Moment
from tend.journal.services import moment_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, live_server: Any, user: User) -> None:
    # Signing in through the form is the accounts tests' job; here a session cookie will do.
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def open_folds(page: Any) -> None:
    """Open every folded section of the edit form, as a person taps each summary."""
    for fold in page.locator("details.form-fold").all():
        if not fold.evaluate("d => d.open"):
            fold.locator("> summary").click()


class Taps:
    """Counts what the person has to tap, so the quick path stays quick."""

    def __init__(self) -> None:
        self.count = 0

    def tap(self, locator: Any) -> None:
        self.count += 1
        locator.click()


def test_an_activation_takes_three_taps_from_home_then_glimmer_edit_delete_and_undo(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    assert page.goto(live_server.url + "/home/").status == 200
    screenshot(page, "journal-home-phone")
    assert_accessible(page)

    taps = Taps()
    taps.tap(page.locator(".capture-cta"))
    page.wait_for_url("**/journal/new/")
    screenshot(page, "journal-capture-phone")
    assert_accessible(page)
    taps.tap(page.get_by_role("checkbox", name=re.compile(r"^Fight\b")))
    taps.tap(page.get_by_role("button", name="Save"))
    page.wait_for_url(re.compile(r"/journal/[0-9a-f-]{36}/$"))
    assert taps.count <= 3
    moment = Moment.objects.get(author=alice)
    assert (moment.kind, moment.states) == ("activation", ["fight"])
    assert page.get_by_text("Saved. You can add more now, later, or not at all.").is_visible()
    screenshot(page, "journal-detail-phone")
    assert_accessible(page)

    # A glimmer mirrors it, in words of safety.
    page.goto(live_server.url + "/home/")
    page.get_by_role("link", name="Log a glimmer").click()
    page.wait_for_url("**/journal/new/?kind=glimmer")
    page.get_by_label("What helped you feel safe? (optional)").fill("a hand on my knee")
    page.get_by_role("checkbox", name=re.compile(r"^Connected\b")).click()
    screenshot(page, "journal-glimmer-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f-]{36}/$"))
    glimmer = Moment.objects.get(author=alice, kind="glimmer")
    assert glimmer.cue == "a hand on my knee" and glimmer.states == ["connected"]

    # Add more to the activation: the progressive form.
    page.goto(f"{live_server.url}/journal/{moment.id}/")
    page.get_by_role("link", name="Add more or change").click()
    page.wait_for_url("**/edit/")
    assert_accessible(page)
    page.get_by_label("What happened?").fill("partner's phone buzzed at dinner")
    page.get_by_role("group", name="How strong was it?").get_by_role("radio", name="7").click()
    # The rest folds into sections, as on capture.
    page.locator("summary", has_text="Underneath").click()
    page.locator("summary", has_text="What you did, and what helped").click()
    page.get_by_label("What story did your mind tell?").fill("Would they rather be elsewhere?")
    page.get_by_role("checkbox", name="Being left behind").click()
    page.get_by_role("group", name="How strong is it now?").get_by_role("radio", name="3").click()
    screenshot(page, "journal-edit-phone")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/journal/{moment.id}/")
    moment.refresh_from_db()
    assert moment.edited and moment.intensity == 7 and moment.intensity_after == 3
    assert moment.needs == ["left_behind"]
    assert page.get_by_text("edited").is_visible()

    # The timeline, then delete and undo.
    page.goto(live_server.url + "/journal/")
    assert page.locator(".moment-card").count() == 2
    screenshot(page, "journal-timeline-phone")
    assert_accessible(page)
    page.locator(".moment-card.moment-activation").click()
    # Deleting is folded away at the foot of the page, apart from saving.
    page.locator("summary", has_text="Delete this moment").click()
    page.get_by_role("button", name="Delete").click()
    page.wait_for_url("**/journal/")
    assert page.get_by_text("Moment deleted.").is_visible()
    assert page.locator(".moment-card").count() == 1
    screenshot(page, "journal-undo-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url(f"**/journal/{moment.id}/")
    moment.refresh_from_db()
    assert moment.deleted_at is None
    assert page.console_errors == []


def test_a_capture_with_nothing_chosen_says_what_to_do(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + "/journal/new/")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Choose how you are feeling, or write a few words").is_visible()
    screenshot(page, "journal-capture-error-phone")
    assert_accessible(page)
    assert Moment.objects.count() == 0


def test_the_empty_journal_and_desktop_pages_look_calm(
    live_server: Any, phone_page: Any, desktop_page: Any, bob: User, alice: User
) -> None:
    sign_in(phone_page, live_server, bob)
    phone_page.goto(live_server.url + "/journal/")
    assert phone_page.get_by_text("Your journal is ready when you are").is_visible()
    screenshot(phone_page, "journal-empty-phone")
    assert_accessible(phone_page)

    moment, _ = moment_log(
        author=alice,
        states=["flight", "freeze"],
        cue="they left for their date",
        intensity=8,
        intensity_after=4,
        needs=["being_replaced"],
        contexts=["partner_on_date"],
        story="What if they like the new person more?",
        helped="orienting: five things I see",
    )
    moment_log(author=alice, kind="glimmer", states=["connected"], cue="good-night message")
    sign_in(desktop_page, live_server, alice)
    for name, url in [
        ("home", "/home/"),
        ("capture", "/journal/new/"),
        ("timeline", "/journal/"),
        ("detail", f"/journal/{moment.id}/"),
        ("edit", f"/journal/{moment.id}/edit/"),
    ]:
        assert desktop_page.goto(live_server.url + url).status == 200, url
        screenshot(desktop_page, f"journal-{name}-desktop")
        assert_accessible(desktop_page)
    assert desktop_page.console_errors == []


def test_the_journal_is_calm_and_legible_in_dark_mode(
    live_server: Any, browser: Any, alice: User
) -> None:
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True, color_scheme="dark")
    try:
        moment_log(author=alice, states=["freeze"], cue="no reply for hours", intensity=6)
        moment_log(author=alice, kind="glimmer", states=["connected"], cue="a warm voice note")
        sign_in(page, live_server, alice)
        for name, url in [("capture", "/journal/new/?kind=glimmer"), ("timeline", "/journal/")]:
            assert page.goto(live_server.url + url).status == 200, url
            screenshot(page, f"journal-{name}-dark-phone")
            assert_accessible(page)
        page.goto(live_server.url + "/journal/new/")
        page.get_by_role("button", name="Save").click()
        # With the error summary focused, a screen reader announces it at once.
        assert page.evaluate("document.activeElement.id") == "form-errors"
    finally:
        page.context.close()
