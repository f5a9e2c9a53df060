"""The map page: empty and nearly empty journals, the period picker, careful words."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def test_with_no_moments_the_page_invites_a_first_one(alice: User) -> None:
    html = client_for(alice).get("/insights/").content.decode()
    assert "No moments in this period yet" in html
    assert 'href="/journal/new/"' in html
    assert "Bring it to a session" not in html  # nothing to bring yet


def test_with_few_moments_it_says_too_few_to_tell_and_shows_n(alice: User) -> None:
    for _ in range(3):
        MomentFactory(author=alice, occurred_at=timezone.now(), intensity=6)
    html = client_for(alice).get("/insights/").content.decode()
    assert "too few to tell a pattern yet" in html
    assert "patterns, not verdicts" in html
    assert "n=3" in html


def test_a_period_to_fix_is_shown_as_typed_with_what_to_fix(alice: User) -> None:
    response = client_for(alice).get("/insights/?period=custom&from=2026-05-01&to=2026-04-01")
    html = response.content.decode()
    assert "The first day comes after the last day." in html
    assert 'value="2026-05-01"' in html and 'value="2026-04-01"' in html
    assert "Meanwhile, here are the last 30 days." in html


def test_a_date_that_is_not_a_date_is_kept_and_named(alice: User) -> None:
    html = client_for(alice).get("/insights/?period=custom&from=soon&to=2026-04-01").content
    assert b'value="soon"' in html
    assert b"Give the first day as a date" in html


def test_the_map_is_in_the_navigation(alice: User) -> None:
    html = client_for(alice).get("/insights/").content.decode()
    assert '<a href="/insights/" aria-current="page">Map</a>' in html
