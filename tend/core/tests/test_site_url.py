"""Links in emails name the server they came from (TEND_SITE_URL, else where serve listens)."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from config.env import served_url
from tend.core.management.commands.serve import Command

INVITATION_LINK = (
    "import django; django.setup();"
    "from tend.connections.services import invitation_url; print(invitation_url('SECRET'))"
)


def link_under(tmp_path: Path, **environment: str) -> str:
    """The invitation link Tend makes under ``config.settings`` and the given environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEND_")}
    for name in ("PORT", "HOST"):
        env.pop(name, None)
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings", TEND_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", INVITATION_LINK],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_links_name_the_port_make_run_serves_on(tmp_path: Path) -> None:
    assert link_under(tmp_path, PORT="8123") == "http://127.0.0.1:8123/connections/join/?t=SECRET"


def test_links_name_the_host_and_port_serve_listens_on(tmp_path: Path) -> None:
    link = link_under(tmp_path, HOST="192.0.2.7", PORT="9000")
    assert link == "http://192.0.2.7:9000/connections/join/?t=SECRET"


def test_a_configured_site_url_wins_over_host_and_port(tmp_path: Path) -> None:
    link = link_under(tmp_path, TEND_SITE_URL="https://tend.example.org/", PORT="8123")
    assert link == "https://tend.example.org/connections/join/?t=SECRET"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),  # noqa: S104 - an address to name, not to bind
        ("::", "http://127.0.0.1:8000"),
        ("::1", "http://[::1]:8000"),
        ("tend.local", "http://tend.local:8000"),
    ],
)
def test_a_wildcard_address_is_named_as_loopback_and_ipv6_in_brackets(host: str, url: str) -> None:
    assert served_url(host, 8000) == url


def name_the_site(monkeypatch: pytest.MonkeyPatch, port: int) -> str:
    # serve tells its children the address through HOST and PORT; monkeypatch puts them back.
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8000")
    errors = StringIO()
    command = Command(stderr=errors)
    command._name_the_site("127.0.0.1", port)
    assert os.environ["PORT"] == str(port)
    return errors.getvalue()


@override_settings(PRODUCTION=True, SITE_URL_CONFIGURED=False)
def test_serve_warns_a_production_server_without_a_site_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warning = name_the_site(monkeypatch, 8123)
    assert "TEND_SITE_URL is not set" in warning
    assert "http://127.0.0.1:8123" in warning
    assert settings.SITE_URL == "http://127.0.0.1:8123"


@override_settings(PRODUCTION=False, SITE_URL_CONFIGURED=False)
def test_serve_names_its_own_port_quietly_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    assert name_the_site(monkeypatch, 8124) == ""
    assert settings.SITE_URL == "http://127.0.0.1:8124"


@override_settings(PRODUCTION=True, SITE_URL_CONFIGURED=True, SITE_URL="https://tend.example.org")
def test_serve_keeps_a_configured_site_url_without_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORT", "8000")
    errors = StringIO()
    Command(stderr=errors)._name_the_site("127.0.0.1", 8125)
    assert errors.getvalue() == ""
    assert settings.SITE_URL == "https://tend.example.org"
    assert os.environ["PORT"] == "8000"
