"""Capture, the map and practices in each offered language, in Chromium at 375x812: spoken in that
language, nothing wider than the phone, axe clean. Screenshots: ``language-<code>-<page>-phone``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import assert_accessible, screenshot
from tend.core.languages import OFFERED
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"capture": "/journal/new/", "map": "/insights/", "practices": "/practices/"}


def _some_moments(user: User) -> None:
    now = timezone.now()
    for n in range(6):
        moment_log(
            author=user,
            kind="glimmer" if n % 3 == 0 else "activation",
            occurred_at=now - dt.timedelta(days=n * 2),
            cue=f"Moment {n}",
            states=["connected"] if n % 3 == 0 else ["fight", "freeze"],
            intensity=3 + n % 5,
        )


@pytest.mark.parametrize("code", [c for c in ("de", "fr", "es") if c in OFFERED])
def test_capture_map_and_practices_speak_each_offered_language_on_a_phone(
    phone_page: Any, live_server: Any, alice: User, code: str
) -> None:
    _some_moments(alice)
    sign_in(phone_page, live_server, alice)
    english = {}
    for name, path in PAGES.items():
        phone_page.goto(f"{live_server.url}{path}")
        english[name] = phone_page.locator("h1").first.inner_text()
    alice.language = code
    alice.save(update_fields=["language"])
    for name, path in PAGES.items():
        phone_page.goto(f"{live_server.url}{path}")
        assert phone_page.locator("html").get_attribute("lang") == code
        heading = phone_page.locator("h1").first.inner_text()
        assert heading != english[name], f"{name} still says {heading!r} in {code}"
        # Nothing pushes the page wider than the phone (long words in German, say).
        width = phone_page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, f"{name} is {width}px wide in {code}"
        screenshot(phone_page, f"language-{code}-{name}-phone")
        assert_accessible(phone_page)
    assert phone_page.console_errors == []
