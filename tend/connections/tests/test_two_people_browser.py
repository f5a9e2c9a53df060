"""Two people in real Chromium at 375x812: from the invitation email to a connection in two
steps after signing up, then a share found by search, its quiet dot, a check-in's action items
and Safety Check's one confirmation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.connections.models import Connection
from tend.journal.tests.factories import MomentFactory
from tend.journal.tests.test_browser import sign_in
from tend.rituals.models import ActionItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "slow-tide-at-dusk-9"
SAM = "sam@example.test"


def _phone(browser: Any, **kwargs: Any) -> Any:
    return new_page(browser, PHONE, is_mobile=True, has_touch=True, **kwargs)


def _link(pattern: str, to: str) -> str:
    """The path (and query) of the link matching ``pattern`` in the latest email to ``to``;
    emails name the configured site, the test server runs elsewhere."""
    for message in reversed(mail.outbox):
        if to in message.to and (
            found := re.search(r"https?://[^/\s]+(" + pattern + ")", message.body)
        ):
            return found.group(1)
    raise AssertionError(f"no email to {to} with {pattern}")


def _dot(page: Any) -> Any:
    return page.locator('nav[aria-label="Main"] a[href="/connections/"] .nav-dot')


def test_from_the_invitation_email_to_a_connection_in_two_steps_after_signing_up(
    live_server: Any, browser: Any, alice: User
) -> None:
    for n in range(40):
        MomentFactory(author=alice, cue=f"an ordinary day {n}")
    MomentFactory(author=alice, cue="They checked their phone all through dinner")
    a = _phone(browser)
    # Sam's phone says São Paulo: that is the zone a new account should get.
    s = _phone(browser, timezone_id="America/Sao_Paulo")
    try:
        sign_in(a, live_server, alice)
        a.goto(f"{live_server.url}/connections/")
        a.get_by_label("They are my…").select_option("partner")
        a.get_by_label("Their email (optional)").fill(SAM)
        a.get_by_role("button", name="Create invitation").click()
        a.get_by_role("heading", name="Your invitation is ready").wait_for()

        # Sam opens the emailed link: the secret leaves the address at once.
        s.goto(live_server.url + _link(r"/connections/join/\?t=\S+", SAM))
        assert s.url == f"{live_server.url}/connections/join/"
        assert "Alice invites sam@example.test" in s.inner_text("main")
        screenshot(s, "two-people-01-join-anonymous-phone")
        assert_accessible(s)

        # Sign up (the page says where confirming leads).
        s.get_by_role("link", name="Create an account").click()
        s.get_by_role("heading", name="Create an account").wait_for()
        assert "come straight back to your invitation" in s.inner_text("main")
        assert "?t=" not in s.url
        s.get_by_label("Email").fill(SAM)
        s.get_by_label("Password", exact=True).fill(PASSWORD)
        s.get_by_label("Password (again)").fill(PASSWORD)
        screenshot(s, "two-people-02-signup-phone")
        assert_accessible(s)
        s.get_by_role("button", name="Create an account").click()
        s.get_by_role("heading", name="Check your email").wait_for()
        screenshot(s, "two-people-03-check-email-phone")
        assert User.objects.get(email=SAM).time_zone == "America/Sao_Paulo"

        # Step 1 after signing up: confirm the address; that signs in and comes back.
        s.goto(live_server.url + _link(r"/accounts/confirm-email/\S+", SAM))
        s.get_by_role("button", name="Confirm my email address").click()
        s.wait_for_url(f"{live_server.url}/connections/join/")
        assert not Connection.objects.exists(), "nothing is accepted for anyone"
        screenshot(s, "two-people-04-join-signed-in-phone")
        assert_accessible(s)

        # Step 2: accept.
        s.get_by_role("button", name="Accept and connect").click()
        s.wait_for_url("**/connections/*-*/")
        assert "connected since" in s.inner_text("main")
        screenshot(s, "two-people-05-connected-phone")
        connection = Connection.objects.get()
        sam = User.objects.get(email=SAM)
        assert {connection.user_a, connection.user_b} == {alice, sam}
        assert not _dot(s).count()

        # Alice shares one moment, found by its words among 41.
        a.goto(f"{live_server.url}/connections/{connection.id}/share/")
        assert a.get_by_label("One moment").is_checked()
        a.get_by_label("Find one of your moments by its words").fill("phone")
        a.get_by_label("Find one of your moments by its words").press("Enter")
        a.get_by_role("group", name="1 moment with these words").wait_for()
        a.get_by_label(re.compile("They checked their phone")).check()
        screenshot(a, "two-people-06-share-search-phone")
        assert_accessible(a)
        a.get_by_role("button", name="Share", exact=True).click()
        a.wait_for_url(f"**/connections/{connection.id}/")

        # Sam: a quiet dot on Together, said in words to a screen reader, and an email that
        # names nothing.
        s.goto(f"{live_server.url}/home/")
        assert _dot(s).count() == 1
        together = s.get_by_role("link", name="Together (something waiting)")
        assert together.count() == 1
        colour = _dot(s).evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(61, 107, 92)", colour  # --primary, not a red
        screenshot(s, "two-people-07-dot-phone")
        notice = [m for m in mail.outbox if SAM in m.to][-1]
        assert notice.subject == "Someone you are connected with shared something with you."
        assert "phone" not in notice.body and "Alice" not in notice.body
        together.click()
        s.get_by_role("link", name="Something new is waiting for you").click()
        s.get_by_role("button", name=re.compile("shared something with you")).first.click()
        assert "They checked their phone" in s.inner_text("main")
        assert not _dot(s).count()

        # A check-in: alice's new item is said here, not "carried over", and only she marks it.
        a.goto(f"{live_server.url}/rituals/checkins/")
        a.get_by_role("button", name=re.compile("a check-in with")).click()
        a.get_by_label("Action item 1").fill("Plan our Sunday walk")
        a.get_by_role("button", name="Save my answers").click()
        main = a.inner_text("main")
        assert "Said in this check-in" in main and "Carrying over" not in main
        screenshot(a, "two-people-08-checkin-alice-phone")
        s.goto(a.url)
        s.get_by_role("button", name="Save my answers").click()
        assert "Plan our Sunday walk" in s.inner_text("main")
        assert s.get_by_role("button", name=re.compile("^Done")).count() == 0
        screenshot(s, "two-people-09-checkin-sam-phone")
        assert_accessible(s)
        a.reload()
        a.get_by_role("button", name="Done — Plan our Sunday walk").click()
        assert ActionItem.objects.get().done_by == alice

        # Safety Check asks once, in plain words.
        s.goto(f"{live_server.url}/connections/safety/")
        s.get_by_role("button", name="Run Safety Check").click()
        s.get_by_role("heading", name="Cut every tie now?").wait_for()
        assert "Your connection ends, quietly: they get no notice." in s.inner_text("main")
        screenshot(s, "two-people-10-safety-confirm-phone")
        assert_accessible(s)
        s.get_by_role("button", name="Yes, run Safety Check").click()
        assert "1 connection ended" in s.inner_text("main")
        assert not a.console_errors and not s.console_errors
    finally:
        a.context.close()
        s.context.close()
