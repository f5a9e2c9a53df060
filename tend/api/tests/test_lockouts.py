"""Failed-token limits that cannot be turned against people, and tokens that expire."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from tend.accounts.models import User
from tend.api.auth import FAILED_BEARER_LIMIT
from tend.api.models import ApiToken
from tend.api.tests.conftest import TokenMaker, assert_problem, bearer, token_client
from tend.conftest import client_for
from tend.core.addresses import client_address

NINE_THIRTY = dt.datetime(2026, 3, 2, 9, 30, 0, tzinfo=dt.UTC)


def fail(client: Client, secret: str, times: int) -> list[int]:
    return [client.get("/api/v1/me", **bearer(secret)).status_code for _ in range(times)]


def test_the_failure_window_is_fixed_so_retry_after_is_true(db: Any) -> None:
    client = Client()
    with time_machine.travel(NINE_THIRTY, tick=False) as clock:
        assert set(fail(client, "tend_guess", FAILED_BEARER_LIMIT)) == {401}
        clock.shift(50)
        # More failures late in the window neither extend it nor move Retry-After.
        response = client.get("/api/v1/me", **bearer("tend_guess"))
        assert_problem(response, 429)
        assert response["Retry-After"] == "10"
        clock.shift(10)
        # The window named by Retry-After has passed: the client is heard again.
        assert fail(client, "tend_guess", 1) == [401]


def test_failures_count_per_token_prefix_so_another_token_is_not_slowed(
    alice: User, make_token: TokenMaker
) -> None:
    _token, good = make_token(alice)
    client = Client()
    with time_machine.travel(NINE_THIRTY, tick=False):
        fail(client, "tend_AAAAAAguess", FAILED_BEARER_LIMIT + 1)
        assert fail(client, "tend_AAAAAAguess", 1) == [429]
        # A different wrong token from the same address is refused, not slowed.
        assert fail(client, "tend_BBBBBBguess", 1) == [401]
        # And the valid token is never refused, however many failures its address made.
        assert client.get("/api/v1/me", **bearer(good)).status_code == 200


def test_a_valid_token_sharing_the_failing_prefix_still_works(
    alice: User, make_token: TokenMaker
) -> None:
    token, good = make_token(alice)
    client = Client()
    # Someone who learned the prefix fails on purpose with it, to lock its owner out.
    wrong = token.prefix + "x" * 37
    with time_machine.travel(NINE_THIRTY, tick=False):
        assert fail(client, wrong, FAILED_BEARER_LIMIT + 1)[-1] == 429
        assert client.get("/api/v1/me", **bearer(good)).status_code == 200


def test_forwarded_for_from_an_untrusted_peer_is_ignored(db: Any) -> None:
    # Without trusted proxies a client cannot escape its limit by inventing addresses.
    with time_machine.travel(NINE_THIRTY, tick=False):
        statuses = [
            Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
            .get("/api/v1/me", **bearer("tend_guess"))
            .status_code
            for i in range(FAILED_BEARER_LIMIT + 1)
        ]
    assert statuses[-1] == 429


@override_settings(TEND_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_from_a_trusted_proxy_tells_clients_apart(db: Any) -> None:
    behind_proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    neighbour = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8")
    with time_machine.travel(NINE_THIRTY, tick=False):
        assert fail(behind_proxy, "tend_guess", FAILED_BEARER_LIMIT + 1)[-1] == 429
        # Another client behind the same proxy is someone else.
        assert fail(neighbour, "tend_guess", 1) == [401]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.7", "", [], "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", [], "203.0.113.7"),
        ("10.0.0.2", "198.51.100.1", [], "10.0.0.2"),
        ("10.0.0.2", "198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        # What the client wrote on the left is ignored; the proxy appended the real address.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        # Two trusted proxies in a row: the first address that is not ours is the client.
        ("10.0.0.2", "198.51.100.1, 10.0.0.9", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "not-an-address", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("::1", "2001:db8::5", ["::1"], "2001:db8::5"),
    ],
)
def test_the_client_address_believes_forwarded_for_only_from_trusted_proxies(
    remote: str, forwarded: str, trusted: list[str], expected: str
) -> None:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    with override_settings(TEND_TRUSTED_PROXIES=trusted):
        assert client_address(request) == expected


# --- Expiry ----------------------------------------------------------------------------------


def test_a_token_expires_in_a_year_by_default(alice: User, make_token: TokenMaker) -> None:
    with time_machine.travel(NINE_THIRTY, tick=False):
        token, secret = make_token(alice)
    assert token.expires_at == NINE_THIRTY + dt.timedelta(days=365)
    with time_machine.travel(NINE_THIRTY + dt.timedelta(days=364), tick=False):
        assert token_client(secret).get("/api/v1/me").status_code == 200


def test_an_expired_token_is_refused_like_an_unknown_one(
    alice: User, make_token: TokenMaker
) -> None:
    with time_machine.travel(NINE_THIRTY, tick=False):
        _, secret = make_token(alice)
    with time_machine.travel(NINE_THIRTY + dt.timedelta(days=365), tick=False):
        expired = token_client(secret).get("/api/v1/me")
        unknown = token_client("tend_" + "x" * 43).get("/api/v1/me")
    assert_problem(expired, 401)
    assert expired.json() == unknown.json()
    assert expired["WWW-Authenticate"] == unknown["WWW-Authenticate"]


def test_the_api_creates_tokens_with_a_chosen_lifetime_or_none(alice: User) -> None:
    client = client_for(alice)
    with time_machine.travel(NINE_THIRTY, tick=False):
        month = client.post(
            "/api/v1/tokens",
            {"name": "Month", "expires_in_days": 30},
            content_type="application/json",
        )
        forever = client.post(
            "/api/v1/tokens",
            {"name": "Forever", "expires_in_days": None},
            content_type="application/json",
        )
        default = client.post("/api/v1/tokens", {"name": "Plain"}, content_type="application/json")
    assert month.status_code == forever.status_code == default.status_code == 201
    assert dt.datetime.fromisoformat(month.json()["expires_at"]) == NINE_THIRTY + dt.timedelta(
        days=30
    )
    assert forever.json()["expires_at"] is None
    assert dt.datetime.fromisoformat(default.json()["expires_at"]) == NINE_THIRTY + dt.timedelta(
        days=365
    )
    listed = {item["name"]: item for item in client.get("/api/v1/tokens").json()["items"]}
    assert listed["Forever"]["expires_at"] is None
    assert listed["Month"]["expires_at"] == month.json()["expires_at"]


@pytest.mark.parametrize("days", [0, -1, 3651, True, "30", 1.5])
def test_the_api_refuses_a_lifetime_out_of_range_with_422(alice: User, days: object) -> None:
    response = client_for(alice).post(
        "/api/v1/tokens",
        {"name": "Odd", "expires_in_days": days},
        content_type="application/json",
    )
    assert_problem(response, 422)
    assert not ApiToken.objects.exists()


def test_the_tokens_page_offers_and_shows_expiry(alice: User, make_token: TokenMaker) -> None:
    client = client_for(alice)
    with time_machine.travel(NINE_THIRTY, tick=False):
        client.post("/settings/tokens/", {"name": "Month", "scope": "read", "expires": "30"})
        client.post("/settings/tokens/", {"name": "Forever", "scope": "read", "expires": "never"})
        page = client.get("/settings/tokens/").content.decode()
    tokens = {t.name: t for t in ApiToken.objects.filter(user=alice)}
    assert tokens["Month"].expires_at == NINE_THIRTY + dt.timedelta(days=30)
    assert tokens["Forever"].expires_at is None
    assert 'value="365"' in page and "checked" in page.split('value="365"')[1][:40]
    assert "expires 1 Apr 2026" in page
    assert "never expires" in page
    with time_machine.travel(NINE_THIRTY + dt.timedelta(days=31), tick=False):
        later = client.get("/settings/tokens/").content.decode()
    assert "expired 1 Apr 2026" in later and "Expired" in later


def test_the_command_line_creates_tokens_with_a_lifetime(alice: User) -> None:
    with time_machine.travel(NINE_THIRTY, tick=False):
        for extra, name in ((["--expires-in-days", "7"], "Week"), (["--no-expiry"], "Forever")):
            call_command(
                "token",
                "create",
                "--email",
                alice.email,
                "--name",
                name,
                *extra,
                stdout=io.StringIO(),
            )
    tokens = {t.name: t for t in ApiToken.objects.filter(user=alice)}
    assert tokens["Week"].expires_at == NINE_THIRTY + dt.timedelta(days=7)
    assert tokens["Forever"].expires_at is None


def test_a_mistyped_trusted_proxy_stops_the_start_with_what_to_fix(tmp_path: Any) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        check=False,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "TEND_DATA_DIR": str(tmp_path),
            "TEND_TRUSTED_PROXIES": "10.0.0.2,proxy.internal",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.returncode != 0
    assert "TEND_TRUSTED_PROXIES: 'proxy.internal' is not an IP address" in result.stderr
