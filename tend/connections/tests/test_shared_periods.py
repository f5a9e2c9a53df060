"""The shared page and the owner's sentences: a map for 7, 30 or 90 days, a summary for this
week or one of eleven before, each view one audit event with its period; the owner reads each
view in plain words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.models import Share
from tend.connections.tests.factories import connect, share
from tend.connections.viewed import looks_of, sentence
from tend.core.models import AuditEvent
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def _last_view() -> AuditEvent:
    return AuditEvent.objects.filter(action="share.viewed").latest("at")


def test_the_shared_map_page_takes_the_period_and_audits_it(alice: User, bob: User) -> None:
    MomentFactory(author=alice, occurred_at=timezone.now() - dt.timedelta(days=20))
    shared = share(alice, connect(alice, bob), "trigger_map")
    page = client_for(bob)
    body = page.get(f"/connections/shared/{shared.id}/?period=30").content.decode()
    assert 'value="30" checked' in body and "<strong>1</strong> activation" in body
    assert _last_view().meta["days"] == 30
    body = page.get(f"/connections/shared/{shared.id}/?period=7").content.decode()
    assert "Nothing was logged in this period." in body and "Log a moment" not in body
    # Further than a share reaches: the default 90 days instead.
    page.get(f"/connections/shared/{shared.id}/?period=400")
    assert _last_view().meta["days"] == 90


def test_the_shared_summary_page_takes_the_week(alice: User, bob: User) -> None:
    MomentFactory(author=alice, occurred_at=timezone.now() - dt.timedelta(days=15))
    shared = share(alice, connect(alice, bob), "weekly_summary")
    page = client_for(bob)
    assert "0 activations" in page.get(f"/connections/shared/{shared.id}/").content.decode()
    body = page.get(f"/connections/shared/{shared.id}/?week=2").content.decode()
    assert "1 activation" in body and 'value="2" selected' in body
    assert _last_view().meta["week"] == 2


def test_each_scope_reads_as_a_sentence(alice: User) -> None:
    theme = Theme.objects.create(owner=alice, name="Date nights")
    themed = Share(scope="theme", theme=theme)
    words = {"name": "Dana", "day": "Tuesday 1 December"}
    assert sentence(**words, meta={"scope": "trigger_map"}, share=None) == (
        "Dana looked at your trigger map on Tuesday 1 December."
    )
    assert sentence(
        **words,
        meta={"scope": "weekly_summary", "week": 1, "from": "2026-11-17", "to": "2026-11-23"},
        share=None,
    ) == ("Dana looked at your weekly summary for 17 Nov to 23 Nov on Tuesday 1 December.")
    assert sentence(**words, meta={"scope": "theme"}, share=themed) == (
        "Dana looked at your theme “Date nights” on Tuesday 1 December."
    )
    assert sentence(**words, meta={"scope": "theme", "moment": "x"}, share=themed) == (
        "Dana opened a moment of your theme “Date nights” on Tuesday 1 December."
    )
    assert sentence(**words, meta={"scope": "moment"}, share=None) == (
        "Dana looked at a moment you shared on Tuesday 1 December."
    )
    assert sentence(**words, meta={"scope": "practice_progress"}, share=None) == (
        "Dana looked at your practice progress on Tuesday 1 December."
    )
    assert sentence(**words, meta={"scope": "a scope not known yet"}, share=None) == (
        "Dana looked at something you shared on Tuesday 1 December."
    )


def test_only_the_owner_reads_who_looked_and_only_through_that_connection(
    alice: User, bob: User, carol: User
) -> None:
    with_bob = connect(alice, bob)
    with_carol = connect(alice, carol)
    client_for(bob).get(f"/connections/shared/{share(alice, with_bob, 'trigger_map').id}/")
    client_for(carol).get(f"/connections/shared/{share(alice, with_carol, 'trigger_map').id}/")
    assert len(looks_of(owner=alice)) == 2
    (look,) = looks_of(owner=alice, connection=with_bob)
    assert look.sentence.startswith("Bob looked at your trigger map (the last 90 days) on ")
    assert looks_of(owner=bob) == []
    body = client_for(bob).get(f"/connections/{with_bob.id}/").content.decode()
    assert "looked at your" not in body
