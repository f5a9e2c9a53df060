from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tend.conftest import assert_accessible, client_for, screenshot


def test_the_landing_page_welcomes_anonymous_visitors(client: Client, db: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"Real safety comes from presence." in response.content


def test_home_requires_signing_in(client: Client, db: Any) -> None:
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signed_in_pages_are_never_cached(alice: Any) -> None:
    response = client_for(alice).get("/home/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_every_page_carries_a_strict_csp_with_a_fresh_nonce(client: Client, db: Any) -> None:
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in first
    assert "'unsafe-inline'" not in first
    assert "nonce-" in first and first != second


@pytest.mark.browser
def test_the_landing_page_is_calm_and_accessible_on_a_phone(
    live_server: Any, phone_page: Any
) -> None:
    phone_page.goto(live_server.url + "/")
    assert phone_page.get_by_role("link", name="Quick exit").is_visible()
    screenshot(phone_page, "landing-phone")
    assert_accessible(phone_page)
    assert phone_page.console_errors == []


@pytest.mark.browser
def test_quick_exit_leaves_at_once_and_the_back_button_does_not_return(
    live_server: Any, phone_page: Any, settings: Any
) -> None:
    neutral = live_server.url + "/healthz"
    settings.TEND_QUICK_EXIT_URL = neutral
    phone_page.goto("about:blank")
    phone_page.goto(live_server.url + "/")
    phone_page.get_by_role("link", name="Quick exit").click()
    phone_page.wait_for_url(neutral)
    phone_page.go_back()
    # The Tend page was replaced in history, so going back skips it entirely.
    assert phone_page.url == "about:blank"


def test_the_web_app_manifest_makes_tend_installable(client: Client, db: Any) -> None:
    import json

    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}


def test_an_unknown_page_is_a_friendly_404(client: Client, db: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We couldn" in response.content
