"""Consented views in real Chromium, on a phone (375x812) and a desk (1280x800): the client
shares their trigger map; the practitioner opens the client's page and changes the period; the
client reads "Dana looked at your trigger map …"; the client revokes and the practitioner's
next request for it answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.connections.models import Share
from tend.connections.share_services import share_create
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1280, "height": 800}
STORY = "CANARY-story-browser-0c4e"


def look(page: Any, name: str) -> None:
    page.wait_for_load_state("networkidle")
    screenshot(page, f"consent-{name}")
    assert_accessible(page)
    assert page.console_errors == [], page.console_errors


def _world(carol: User, alice: User) -> Any:
    carol.display_name = "Dana"
    carol.save(update_fields=["display_name"])
    alice.display_name = "River"
    alice.save(update_fields=["display_name"])
    _handover, connection = handed_over(
        carol, alice, filled(carol, call_booked(carol, email=alice.email))
    )
    dinner = Theme.objects.create(owner=alice, name="Phone at dinner")
    nights = Theme.objects.create(owner=alice, name="Date nights")
    now = timezone.now()
    for days, theme, intensity in (
        (1, dinner, 7),
        (3, dinner, 5),
        (20, nights, 8),
        (40, nights, 6),
    ):
        MomentFactory(
            author=alice,
            theme=theme,
            intensity=intensity,
            intensity_after=max(intensity - 3, 0),
            states=["flight"],
            story=STORY,
            occurred_at=now - dt.timedelta(days=days),
        )
    return connection


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desk", DESK)])
def test_a_client_shares_the_map_sees_who_looked_and_takes_it_back(
    live_server: Any, browser: Any, carol: User, alice: User, size: str, viewport: Any
) -> None:
    connection = _world(carol, alice)
    phone = {"is_mobile": True, "has_touch": True} if size == "phone" else {}
    c = new_page(browser, viewport, **phone)
    a = new_page(browser, viewport, **phone)
    try:
        sign_in(c, live_server, carol)
        sign_in(a, live_server, alice)
        client_page = f"{live_server.url}/coaching/clients/{connection.id}/"
        # Before she shares: nothing of hers on Dana's page of her.
        c.goto(client_page)
        assert "Nothing at the moment." in c.inner_text("main")
        assert "Phone at dinner" not in c.inner_text("main")

        # River shares her trigger map with Dana.
        a.goto(f"{live_server.url}/connections/{connection.id}/")
        a.get_by_role("link", name="Share something with Dana").click()
        a.get_by_label("My trigger map").check()
        a.get_by_role("button", name="Share", exact=True).click()
        a.wait_for_url(f"**/connections/{connection.id}/")
        look(a, f"01-shared-map-{size}")

        # Dana sees it in place: the last 90 days, then the last 7.
        c.goto(client_page)
        text = c.inner_text("main")
        assert "Their trigger map" in text and "Phone at dinner" in text and "Date nights" in text
        assert STORY not in c.content()
        look(c, f"02-client-page-90-days-{size}")
        c.locator("label.period-chip", has_text="7 days").click()
        c.get_by_role("button", name="Show this period").click()
        c.wait_for_url("**/?period=7#shared-trigger-map")
        text = c.inner_text("main")
        assert "Phone at dinner" in text and "Date nights" not in text
        look(c, f"03-client-page-7-days-{size}")

        # River reads who looked, and when, on her shares page and on Dana's page.
        a.goto(f"{live_server.url}/connections/shares/")
        text = a.inner_text("main")
        assert "Dana looked at your trigger map (the last 7 days) on " in text
        assert "Dana looked at your trigger map (the last 90 days) on " in text
        look(a, f"04-who-looked-{size}")
        a.goto(f"{live_server.url}/connections/{connection.id}/")
        assert "What Dana looked at" in a.inner_text("main")
        look(a, f"05-connection-looks-{size}")

        # Dana opens the shared page too, for 30 days; River takes the map back.
        shared = Share.objects.get(owner=alice, scope="trigger_map")
        shared_page = f"{live_server.url}/connections/shared/{shared.id}/?period=30"
        response = c.goto(shared_page)
        assert response is not None and response.status == 200
        look(c, f"06-shared-page-30-days-{size}")
        a.get_by_role("button", name="Revoke").click()
        a.get_by_text("Revoked.").wait_for()
        look(a, f"07-revoked-{size}")

        # Dana's next request is the same 404 as for nothing; her page of River shows nothing.
        response = c.goto(shared_page)
        assert response is not None and response.status == 404
        c.console_errors.clear()  # that 404 was the point
        c.goto(f"{client_page}?period=7")
        text = c.inner_text("main")
        assert "Nothing at the moment." in text and "Phone at dinner" not in text
        look(c, f"08-after-revoke-{size}")
    finally:
        c.context.close()
        a.context.close()


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desk", DESK)])
def test_a_summary_week_and_a_theme_show_in_place(
    live_server: Any, browser: Any, carol: User, alice: User, size: str, viewport: Any
) -> None:
    connection = _world(carol, alice)
    share_create(actor=alice, connection=connection, scope="weekly_summary")
    nights = next(t for t in Theme.objects.filter(owner=alice) if t.name == "Date nights")
    share_create(actor=alice, connection=connection, scope="theme", theme_id=nights.id)
    phone = {"is_mobile": True, "has_touch": True} if size == "phone" else {}
    c = new_page(browser, viewport, **phone)
    try:
        sign_in(c, live_server, carol)
        c.goto(f"{live_server.url}/coaching/clients/{connection.id}/")
        text = c.inner_text("main")
        assert "Their weekly summary" in text and "Their theme: Date nights" in text
        assert "Their trigger map" not in text and STORY not in c.content()
        c.get_by_label("Which week").select_option("2")
        c.get_by_role("button", name="Show this week").click()
        c.wait_for_url("**/?period=90&week=2#shared-weekly-summary")
        assert "1 activation" in c.inner_text("#shared-weekly-summary")
        look(c, f"09-summary-and-theme-{size}")
    finally:
        c.context.close()
