"""What a client grants their practitioner, shown in place on the client's page: only what is
granted, for a period the share reaches, each view one audit event the client reads as a
sentence; revoking stops the next request; a story stays out unless the share includes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tend.accounts.models import User
from tend.coaching import shared
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for
from tend.connections import scopes
from tend.connections.models import Connection
from tend.connections.share_services import share_revoke
from tend.connections.summary import MAP_PERIODS, map_days, summary_week, summary_weeks
from tend.connections.tests.factories import connect, share
from tend.connections.viewed import looks_of
from tend.core.models import AuditEvent
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

STORY = "CANARY-story-consent-5e1a"
CUE = "CANARY-cue-consent-9b07"
NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)  # a Tuesday


@pytest.fixture
def connection(carol: User, alice: User) -> Connection:
    carol.display_name = "Dana"
    carol.save(update_fields=["display_name"])
    _handover, connection = handed_over(
        carol, alice, filled(carol, call_booked(carol, email=alice.email))
    )
    return connection


def _page(carol: User, connection: Connection, query: str = "") -> str:
    response = client_for(carol).get(f"/coaching/clients/{connection.id}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _views(share_id: Any = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action="share.viewed").order_by("at")
    return list(events.filter(target_id=str(share_id)) if share_id else events)


# --- The period rule -------------------------------------------------------------------------


def test_a_share_is_read_for_7_30_or_90_days_and_twelve_weeks_no_further() -> None:
    assert MAP_PERIODS == (7, 30, 90)
    assert [map_days(v) for v in ("7", "30", "90", "365", "x", "")] == [7, 30, 90, None, None, None]
    assert [summary_week(v) for v in ("0", "11", "12", "-1", "")] == [0, 11, None, None, None]
    weeks = summary_weeks(dt.UTC)
    assert len(weeks) == 12 and weeks[0][0] == 0
    assert (timezone.localdate(timezone=dt.UTC) - weeks[-1][1]).days <= 90
    # A page given a period the share does not reach shows the default instead.
    assert scopes.Picks.from_query({"period": "365", "week": "40"}) == scopes.Picks(90, 0)


# --- Only what is granted, in place ----------------------------------------------------------


def test_the_client_page_shows_nothing_of_theirs_until_they_grant_it(
    carol: User, alice: User, connection: Connection
) -> None:
    MomentFactory(author=alice, cue=CUE, story=STORY)
    body = _page(carol, connection)
    assert "Nothing at the moment." in body
    for absent in ("Their trigger map", "Their weekly summary", "Their theme", CUE, STORY):
        assert absent not in body
    assert _views() == []


def test_a_granted_map_shows_in_place_for_the_period_picked_and_is_one_audited_view(
    carol: User, alice: User, connection: Connection
) -> None:
    theme = Theme.objects.create(owner=alice, name="Phone at dinner")
    MomentFactory(author=alice, theme=theme, occurred_at=timezone.now() - dt.timedelta(days=20))
    granted = share(alice, connection, "trigger_map")
    body = _page(carol, connection)
    assert "Their trigger map" in body and "Phone at dinner" in body
    assert "Their weekly summary" not in body
    (event,) = _views(granted.id)
    assert event.actor == carol and event.subject == alice
    assert event.meta["scope"] == "trigger_map" and event.meta["days"] == 90
    # The last 7 days: the moment of 20 days ago is outside; one more event, with that period.
    body = _page(carol, connection, "?period=7")
    assert 'value="7" checked' in body
    assert "Phone at dinner" not in body and "Nothing was logged in this period." in body
    latest = _views(granted.id)[-1]
    assert latest.meta["days"] == 7
    first = dt.date.fromisoformat(latest.meta["from"])
    assert (dt.date.fromisoformat(latest.meta["to"]) - first).days == 6
    assert len(_views()) == 2


def test_a_summary_shows_this_week_or_an_earlier_one(
    carol: User, alice: User, connection: Connection
) -> None:
    MomentFactory(author=alice, occurred_at=timezone.now() - dt.timedelta(days=9))
    granted = share(alice, connection, "weekly_summary")
    assert "0 activations" in _page(carol, connection)
    body = _page(carol, connection, "?week=1")
    assert "1 activation" in body and "Seven days:" in body
    assert [e.meta["week"] for e in _views(granted.id)] == [0, 1]


def test_a_shared_theme_shows_its_moments_and_no_other_theme(
    carol: User, alice: User, connection: Connection
) -> None:
    shown = Theme.objects.create(owner=alice, name="Date nights")
    hidden = Theme.objects.create(owner=alice, name="CANARY-theme-not-shared")
    MomentFactory(author=alice, theme=shown, cue="Sam left for a date")
    MomentFactory(author=alice, theme=hidden, cue=CUE)
    granted = share(alice, connection, "theme", theme_id=shown.id)
    body = _page(carol, connection)
    assert "Their theme: Date nights" in body and "Sam left for a date" in body
    assert CUE not in body and "CANARY-theme-not-shared" not in body
    assert [e.meta["scope"] for e in _views(granted.id)] == ["theme"]


def test_shares_with_someone_else_never_appear(
    carol: User, alice: User, bob: User, connection: Connection
) -> None:
    share(alice, connect(alice, bob), "trigger_map")
    assert "Their trigger map" not in _page(carol, connection)
    assert _views() == []


def test_a_revoked_or_expired_grant_is_gone_from_the_next_request(
    carol: User, alice: User, connection: Connection
) -> None:
    granted = share(alice, connection, "trigger_map")
    assert "Their trigger map" in _page(carol, connection)
    share_revoke(actor=alice, share=granted)
    body = _page(carol, connection)
    assert "Their trigger map" not in body and "Nothing at the moment." in body
    assert shared.grants_of(viewer=carol, connection=connection).count() == 0
    soon = share(
        alice, connection, "trigger_map", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        assert "Their trigger map" not in _page(carol, connection)
    assert len(_views(soon.id)) == 0


# --- Canaries: a story or a cue stays out of the map and the summary ------------------------


def test_a_story_or_cue_never_reaches_the_practitioners_map_or_summary(
    carol: User, alice: User, connection: Connection
) -> None:
    MomentFactory(author=alice, cue=CUE, story=STORY, helped="breath")
    MomentFactory(author=alice, kind="glimmer", cue=CUE, story=STORY)
    share(alice, connection, "trigger_map")
    summary = share(alice, connection, "weekly_summary")
    body = _page(carol, connection)
    assert "Their trigger map" in body and "Their weekly summary" in body
    assert CUE not in body and STORY not in body
    api = client_for(carol)
    base = f"/api/v1/coaching/clients/{connection.id}/shared"
    maps = [g["id"] for g in api.get(base).json() if g["scope"] == "trigger_map"]
    for path in (base, f"{base}/{summary.id}/summary", f"{base}/{maps[0]}/map"):
        response = api.get(path)
        assert response.status_code == 200
        text = response.content.decode()
        assert CUE not in text and STORY not in text
    # With stories chosen, the story comes along (never the cue).
    share_revoke(actor=alice, share=summary)
    share(alice, connection, "weekly_summary", include_stories=True)
    body = _page(carol, connection)
    assert STORY in body and CUE not in body


# --- What the client reads ------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_client_reads_each_view_as_a_sentence_in_their_zone(
    carol: User, alice: User, connection: Connection
) -> None:
    alice.time_zone = "Pacific/Auckland"  # 04:00 on Wednesday 2 December there
    alice.save(update_fields=["time_zone"])
    granted = share(alice, connection, "trigger_map")
    _page(carol, connection, "?period=30")
    _page(carol, connection, "?period=30")
    (look,) = looks_of(owner=alice)
    assert look.sentence == (
        "Dana looked at your trigger map (the last 30 days) on Wednesday 2 December."
    )
    assert look.times == 2 and look.still_shared
    shares_page = client_for(alice).get("/connections/shares/").content.decode()
    assert "Dana looked at your trigger map (the last 30 days) on Wednesday 2 December." in (
        shares_page
    )
    assert "2 times that day" in shares_page
    detail = client_for(alice).get(f"/connections/{connection.id}/").content.decode()
    assert "What Dana looked at" in detail and "on Wednesday 2 December." in detail
    share_revoke(actor=alice, share=granted)
    (look,) = looks_of(owner=alice)
    assert not look.still_shared


def test_her_own_label_names_the_viewer_and_a_summary_names_its_days(
    carol: User, alice: User, connection: Connection
) -> None:
    from tend.connections.services import connection_label_set

    connection_label_set(actor=alice, connection=connection, label="My coach")
    share(alice, connection, "weekly_summary")
    _page(carol, connection, "?week=2")
    (look,) = looks_of(owner=alice)
    assert look.sentence.startswith("My coach looked at your weekly summary for ")


def test_the_audit_event_keeps_the_period_and_no_words(
    carol: User, alice: User, connection: Connection
) -> None:
    theme = Theme.objects.create(owner=alice, name="CANARY-theme-name-4411")
    MomentFactory(author=alice, theme=theme, cue=CUE, story=STORY)
    for scope in ("trigger_map", "weekly_summary"):
        share(alice, connection, scope, include_stories=True)
    share(alice, connection, "theme", theme_id=theme.id)
    _page(carol, connection, "?period=30&week=3")
    events = _views()
    assert len(events) == 3
    assert {tuple(sorted(e.meta)) for e in events} == {
        ("days", "from", "scope", "to"),
        ("from", "scope", "to", "week"),
        ("scope",),
    }
    for e in events:
        assert all(w not in str(e.meta) for w in (CUE, STORY, "CANARY-theme-name"))
