"""Connections in real Chromium: two people, two browsers, from invitation to Safety Check."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.connections.services import invitation_create, polycule_setting_update
from tend.connections.tests.factories import connect, share
from tend.core.models import AuditEvent
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}


def test_alice_invites_bob_shares_a_theme_then_safety_check_cuts_him_off(
    live_server: Any, browser: Any, alice: User, bob: User
) -> None:
    theme = Theme.objects.create(owner=alice, name="date nights")
    MomentFactory(author=alice, theme=theme, cue="they left for a date and I froze")
    MomentFactory(author=alice, cue="a moment alice keeps to herself")
    a = new_page(browser, WIDE)
    b = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        sign_in(a, live_server, alice)
        sign_in(b, live_server, bob)

        # Alice invites by link.
        a.goto(f"{live_server.url}/connections/")
        a.get_by_label("They are my…").select_option("partner")
        a.get_by_role("button", name="Create invitation").click()
        link = a.locator("[data-invite-link]").input_value()
        assert "/connections/join/" in link
        screenshot(a, "connections-invited-desktop")
        assert_accessible(a)

        # Bob opens it: who invites whom and as what; nothing happens until he accepts.
        b.goto(live_server.url + urlsplit(link).path + "?" + urlsplit(link).query)
        assert "Alice invites you to connect on Tend as their Partner" in b.inner_text("main")
        screenshot(b, "connections-join-phone")
        assert_accessible(b)
        b.get_by_role("button", name="Accept and connect").click()
        b.wait_for_url("**/connections/*-*/")
        assert "connected since" in b.inner_text("main")

        # Alice shares the theme with a framing note.
        a.goto(f"{live_server.url}/connections/")
        a.get_by_role("link", name="Bob").click()
        a.get_by_role("link", name="Share something with Bob").click()
        a.get_by_label("Every moment of a theme").check()
        a.get_by_label("Theme", exact=True).select_option(str(theme.id))
        a.get_by_label("A note to frame it (optional)").fill(
            "So you understand, not to discuss without me."
        )
        screenshot(a, "connections-share-new-desktop")
        assert_accessible(a)
        a.get_by_role("button", name="Share", exact=True).click()
        a.wait_for_url("**/connections/*-*/")
        assert "date nights" in a.inner_text("main")

        # Bob sees it, read-only, alice's note first, and opens the moment.
        b.goto(f"{live_server.url}/connections/shared/")
        assert "From Alice" in b.inner_text("main")
        screenshot(b, "connections-shared-phone")
        b.get_by_role("link", name="Every moment of a theme").click()
        text = b.inner_text("main")
        assert text.index("not to discuss without me") < text.index("they left for a date")
        assert "keeps to herself" not in text
        screenshot(b, "connections-shared-theme-phone")
        assert_accessible(b)
        b.get_by_role("link", name="they left for a date").click()
        open_page = b.url
        assert "I froze" in b.inner_text("main")
        screenshot(b, "connections-shared-moment-phone")
        assert_accessible(b)
        assert AuditEvent.objects.filter(action="share.viewed", subject=alice).count() == 2

        # Alice sees who viewed what, then runs Safety Check.
        a.goto(f"{live_server.url}/connections/shares/")
        looks = a.locator(".looks").inner_text()
        assert "Bob looked at your theme" in looks and "Bob opened a moment of your theme" in looks
        screenshot(a, "connections-shares-desktop")
        a.goto(f"{live_server.url}/connections/safety/")
        screenshot(a, "connections-safety-desktop")
        assert_accessible(a)
        a.get_by_role("button", name="Run Safety Check").click()
        # It asks once.
        a.get_by_role("heading", name="Cut every tie now?").wait_for()
        assert "Your connection ends, quietly" in a.inner_text("main")
        screenshot(a, "connections-safety-confirm-desktop")
        assert_accessible(a)
        a.get_by_role("button", name="Yes, run Safety Check").click()
        assert "Every tie is cut" in a.inner_text("main")
        assert "1 connection ended" in a.inner_text("main")
        screenshot(a, "connections-safety-done-desktop")

        # Bob's open page of alice's data stops working, and nothing of hers is left.
        response = b.reload()
        assert response is not None and response.status == 404
        assert "We couldn't find that page" in b.inner_text("main")
        assert "I froze" not in b.content()
        b.goto(open_page.rsplit("/moments/", 1)[0] + "/")
        assert "I froze" not in b.content()
        b.goto(f"{live_server.url}/connections/shared/")
        assert "Nothing is shared with you right now." in b.inner_text("main")
        b.goto(f"{live_server.url}/connections/")
        assert "No connections yet" in b.inner_text("main")
        screenshot(b, "connections-after-safety-phone")
        # Bob's only console errors are the two 404 pages he was meant to get.
        assert not a.console_errors
        assert all("404" in error for error in b.console_errors)
    finally:
        a.context.close()
        b.context.close()


def _world(alice: User, bob: User, carol: User, mallory: User) -> dict[str, Any]:
    """A full world for looking at every page: a polycule one hop out, shares both ways."""
    with_bob = connect(alice, bob, kind="partner")
    connect(carol, alice, kind="practitioner")
    connect(bob, mallory, kind="date")
    polycule_setting_update(actor=bob, appear_to_metamours="name", show_my_connections=True)
    polycule_setting_update(
        actor=mallory, appear_to_metamours="name_and_kind", show_my_connections=False
    )
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    moment = MomentFactory(
        author=alice,
        theme=theme,
        cue="partner glanced at their buzzing phone at dinner",
        states=["flight", "fawn"],
        intensity=7,
        intensity_after=3,
        story="Would they rather be somewhere else?",
        helped="slow breathing, then asking",
    )
    MomentFactory(author=alice, kind="glimmer", states=["connected"], cue="hand on my knee")
    theme_share = share(alice, with_bob, "theme", theme_id=theme.id, note="So you understand.")
    summary = share(alice, with_bob, "weekly_summary", include_stories=True)
    trigger_map = share(alice, with_bob, "trigger_map")
    invitation_create(actor=alice, kind="friend", email="sam@example.test")
    return {
        "connection": with_bob,
        "theme_share": theme_share,
        "summary": summary,
        "map": trigger_map,
        "moment": moment,
    }


@pytest.mark.parametrize(
    ("viewport", "suffix", "scheme"),
    [(PHONE, "phone", "light"), (WIDE, "desktop", "light"), (PHONE, "phone-dark", "dark")],
)
def test_every_page_reads_well_and_passes_axe(
    live_server: Any,
    browser: Any,
    alice: User,
    bob: User,
    carol: User,
    mallory: User,
    viewport: dict[str, int],
    suffix: str,
    scheme: str,
) -> None:
    world = _world(alice, bob, carol, mallory)
    _inv, secret = invitation_create(actor=mallory, kind="friend")
    c = world["connection"]
    alice_pages = {
        "index": "/connections/",
        "detail": f"/connections/{c.id}/",
        "share-new": f"/connections/{c.id}/share/",
        "shares": "/connections/shares/",
        "safety": "/connections/safety/",
        "safety-confirm": "/connections/safety/?confirm=1",
        "join": f"/connections/join/?t={secret}",
    }
    bob_pages = {
        "bob-index": "/connections/",
        "shared": "/connections/shared/",
        "shared-summary": f"/connections/shared/{world['summary'].id}/",
        "shared-map": f"/connections/shared/{world['map'].id}/",
        "shared-moment": f"/connections/shared/{world['theme_share'].id}/moments/"
        f"{world['moment'].id}/",
    }
    for user, pages in ((alice, alice_pages), (bob, bob_pages)):
        page = new_page(browser, viewport, color_scheme=scheme)
        try:
            sign_in(page, live_server, user)
            for name, path in pages.items():
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, path
                screenshot(page, f"connections-{name}-{suffix}")
                assert_accessible(page)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{path} scrolls sideways at {width}px"
            assert not page.console_errors
        finally:
            page.context.close()
    anonymous = new_page(browser, viewport, color_scheme=scheme)
    try:
        anonymous.goto(f"{live_server.url}/connections/join/?t={secret}")
        assert "Sign in" in anonymous.inner_text("main")
        screenshot(anonymous, f"connections-join-anonymous-{suffix}")
        assert_accessible(anonymous)
    finally:
        anonymous.context.close()
