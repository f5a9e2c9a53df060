"""The Safety Check page: what it will do in plain counts, one confirmation, then the run."""

from __future__ import annotations

import re

import pytest

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.careplans.services import careplan_create
from tend.conftest import client_for
from tend.connections.models import Connection
from tend.connections.tests.factories import connect

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_it_counts_your_connections_in_plain_words(alice: User, bob: User, carol: User) -> None:
    client = client_for(alice)
    page = _text(client.get("/connections/safety/").content.decode())
    assert "You have no connections right now, so none end." in page
    assert "All 0" not in page and "(0 items)" not in page
    connect(alice, bob)
    page = _text(client.get("/connections/safety/").content.decode())
    assert "Your connection ends, quietly: they get no notice." in page
    connect(carol, alice)
    page = _text(client.get("/connections/safety/").content.decode())
    assert "Your 2 connections end, quietly: nobody gets a notice." in page


def test_it_tells_what_happens_to_care_plans_shared_with_others(
    alice: User, bob: User, carol: User
) -> None:
    with_bob, with_carol = connect(alice, bob), connect(alice, carol)
    careplan_create(actor=alice, connections=[with_bob])
    careplan_create(actor=alice, connections=[with_bob, with_carol])
    client = client_for(alice)
    page = _text(client.get("/connections/safety/").content.decode())
    assert "Your care plan with one person closes with your connection" in page
    assert "You leave the care plan you share with several people." in page
    assert "without your tender places" in page and "Settings → Your data" in page
    done = _text(client.post("/connections/safety/", {"confirm": "yes"}).content.decode())
    assert "1 care plan with one person closed, for both of you" in done
    assert "You left 1 care plan shared with several people" in done


def test_it_asks_once_before_anything_happens(alice: User, bob: User) -> None:
    connect(alice, bob)
    client = client_for(alice)
    first = client.get("/connections/safety/").content.decode()
    # The first button only asks; nothing on the page runs it.
    assert 'name="confirm" value="yes"' not in first
    assert 'method="get"' in first and 'name="confirm" value="1"' in first
    asking = client.get("/connections/safety/?confirm=1").content.decode()
    assert "Cut every tie now?" in asking and 'name="confirm" value="yes"' in asking
    assert Connection.objects.get().status == "active"
    # A POST without the confirmation changes nothing either.
    assert client.post("/connections/safety/").status_code == 302
    assert Connection.objects.get().status == "active"
    client.post("/connections/safety/", {"confirm": "yes"})
    assert Connection.objects.get().status == "ended"


def test_people_with_nothing_to_cut_read_no_empty_counts(alice: User) -> None:
    UserFactory()
    page = _text(client_for(alice).get("/connections/safety/?confirm=1").content.decode())
    assert "0 " not in page.replace("2026", "")
    assert "things you share" not in page and "open invitation" not in page
