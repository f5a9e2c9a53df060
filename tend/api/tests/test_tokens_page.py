"""Settings → API tokens, as each persona, and in real Chromium on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.api.tests.conftest import TokenMaker, token_client
from tend.conftest import assert_accessible, client_for, screenshot

URL = "/settings/tokens/"


def sign_in(page: Any, live_server: Any, user: User) -> None:
    # Signing in through the form is the accounts tests' job; here a session cookie will do.
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, alice: User,
                                                make_token: TokenMaker) -> None:
    token, _ = make_token(alice)
    for response in (client.get(URL), client.post(URL, {"name": "x", "scope": "read"}),
                     client.post(f"{URL}{token.id}/revoke/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is None


def test_the_page_lists_only_the_persons_own_tokens(
    personas: dict[str, User | None], make_token: TokenMaker
) -> None:
    alice = personas["alice"]
    assert alice is not None
    make_token(alice, name="Alice's kitchen tablet")
    assert "Alice's kitchen tablet" in client_for(alice).get(URL).content.decode().replace(
        "&#x27;", "'"
    )
    for persona in ("bob", "carol", "mallory"):
        page = client_for(personas[persona]).get(URL).content.decode()
        assert "kitchen tablet" not in page
        assert "You have no tokens yet" in page


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_others_cannot_revoke_alices_token(
    persona: str, personas: dict[str, User | None], make_token: TokenMaker
) -> None:
    alice = personas["alice"]
    assert alice is not None
    token, secret = make_token(alice)
    response = client_for(personas[persona]).post(f"{URL}{token.id}/revoke/")
    assert response.status_code == 404
    assert token_client(secret).get("/api/v1/me").status_code == 200


def test_creating_shows_the_token_once(alice: User) -> None:
    client = client_for(alice)
    response = client.post(URL, {"name": "Phone shortcut", "scope": "write"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=alice)
    secret = response.context["created_secret"]
    assert secret.startswith(token.prefix)
    assert secret in response.content.decode()
    assert 'data-copy-target="#new-token"' in response.content.decode()
    assert secret not in client.get(URL).content.decode()
    assert token_client(secret).get("/api/v1/me").status_code == 200


def test_a_form_error_keeps_what_was_typed_and_says_what_to_fix(alice: User) -> None:
    long_name = "n" * 61
    response = client_for(alice).post(URL, {"name": long_name, "scope": "write"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Keep the name to 60 characters or fewer." in page
    assert f'value="{long_name}"' in page
    assert 'value="write"' in page and "checked" in page.split('value="write"')[1][:40]
    assert not ApiToken.objects.exists()


def test_a_blank_name_is_refused(alice: User) -> None:
    response = client_for(alice).post(URL, {"name": "  ", "scope": "read"})
    assert not ApiToken.objects.exists()
    assert "Give the token a name" in response.content.decode()


def test_revoking_marks_the_token_revoked_and_it_stops_working(
    alice: User, make_token: TokenMaker
) -> None:
    token, secret = make_token(alice)
    client = client_for(alice)
    response = client.post(f"{URL}{token.id}/revoke/", follow=True)
    assert "Token revoked" in response.content.decode()
    assert "Revoked" in response.content.decode()
    assert token_client(secret).get("/api/v1/me").status_code == 401


def test_revoke_only_accepts_post(alice: User, make_token: TokenMaker) -> None:
    token, _ = make_token(alice)
    assert client_for(alice).get(f"{URL}{token.id}/revoke/").status_code == 405
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.browser
def test_creating_and_revoking_a_token_on_a_phone(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + URL)
    assert page.get_by_text("You have no tokens yet").is_visible()
    screenshot(page, "api-tokens-empty-phone")

    page.get_by_role("button", name="Create token").click()
    assert page.get_by_text("Give the token a name").is_visible()

    page.get_by_label("Name").fill("Shortcut on my phone")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("tend_")
    assert page.get_by_role("button", name="Copy token").is_visible()
    screenshot(page, "api-tokens-created-phone")
    assert_accessible(page)

    page.get_by_role("button", name="Revoke “Shortcut on my phone”").click()
    page.wait_for_url("**" + URL)
    assert page.get_by_text("Token revoked").is_visible()
    screenshot(page, "api-tokens-revoked-phone")
    assert_accessible(page)
    assert ApiToken.objects.get(user=alice).revoked_at is not None
    assert page.console_errors == []


@pytest.mark.browser
def test_the_tokens_page_on_a_desktop(
    live_server: Any, desktop_page: Any, alice: User, make_token: TokenMaker
) -> None:
    make_token(alice, name="Backup job", scope="read")
    revoked, _ = make_token(alice, name="Old laptop")
    from tend.api.services import token_revoke

    token_revoke(actor=alice, token=revoked)
    sign_in(desktop_page, live_server, alice)
    desktop_page.goto(live_server.url + URL)
    assert desktop_page.get_by_text("Backup job", exact=True).is_visible()
    screenshot(desktop_page, "api-tokens-desktop")
    assert_accessible(desktop_page)
    assert desktop_page.console_errors == []


@pytest.mark.browser
def test_the_api_docs_render_under_the_strict_csp(live_server: Any, desktop_page: Any) -> None:
    desktop_page.goto(live_server.url + "/api/v1/docs")
    desktop_page.get_by_text("Tend API").first.wait_for()
    desktop_page.get_by_text("/api/v1/tokens").first.wait_for()
    screenshot(desktop_page, "api-docs-desktop")
    assert desktop_page.console_errors == []
