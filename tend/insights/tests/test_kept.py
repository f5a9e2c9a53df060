"""Kept trigger maps: asked for again they are not counted again, and no write leaves one stale.

Each write below goes through the service a person's request goes through. The test keeps a map,
makes the write, and checks that the map asked for afterwards is the one counted afresh — and
that the write did change it, so that a kept map returned by mistake would fail the test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tend.accounts.models import User
from tend.accounts.services import account_delete
from tend.core import vault
from tend.insights import tallies
from tend.insights.maps import TriggerMap
from tend.insights.models import MapRevision
from tend.insights.selectors import map_of_counts, trigger_map
from tend.journal.models import Theme
from tend.journal.people import person_add, person_delete, person_rename
from tend.journal.services import (
    moment_delete,
    moment_log,
    moment_restore,
    moment_update,
    vocabulary_entry_add,
)
from tend.journal.themes import moment_file, theme_delete, theme_rename
from tend.journal.transfer import journal_export_json, journal_import
from tend.practices.services import custom_practice_update, practice_session_record
from tend.practices.tests.factories import CustomPracticeFactory, PracticeSessionFactory

pytestmark = pytest.mark.django_db
# Where kept maps and counts go.
cache = caches["insights"]


# One period for the whole module: four months, so that whole months inside it are counted
# from their kept counts (``tallies.py``) and the current one afresh.
START = timezone.now() - dt.timedelta(days=120)
END = timezone.now() + dt.timedelta(days=1)


def the_map(user: User) -> TriggerMap:
    return trigger_map(owner=user, start=START, end=END)


def counted(user: User) -> TriggerMap:
    # In one statement, without any month's kept counts: the reference.
    rows = tallies.in_one_statement(owner_id=user.pk, start=START, end=END, tz=user.tz)
    return map_of_counts(owner=user, start=START, end=END, rows=rows)


def ago(hours: int = 0, days: int = 0) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours, days=days)


@pytest.fixture
def journal(alice: User) -> dict[str, Any]:
    theme = Theme.objects.create(owner=alice, name="Phone at dinner")
    sam, _ = person_add(owner=alice, label="Sam")
    own, _ = vocabulary_entry_add(owner=alice, kind="needs", label="To be chosen")
    moments = [
        moment_log(
            author=alice,
            occurred_at=when,
            cue="They looked at their phone",
            states=["flight"],
            intensity=6,
            intensity_after=3,
            needs=[own.code],
            people=[sam.id],
            helped="Five slow breaths",
            theme=str(theme.id),
        )[0]
        # The first two in a month that lies whole inside the period, the last in this one.
        for when in (ago(days=50), ago(days=51), ago(hours=5))
    ]
    practice = CustomPracticeFactory(author=alice, name="Counting waves")
    PracticeSessionFactory(author=alice, practice_code="", custom_practice=practice)
    return {"theme": theme, "sam": sam, "moments": moments, "practice": practice}


def _import(alice: User, journal: dict[str, Any]) -> None:
    document = json.loads(journal_export_json(user=alice))
    for moment in document["moments"]:
        moment["id"] = None
        moment["intensity"] = 9
    journal_import(importer=alice, data=json.dumps(document).encode(), fmt="json")


WRITES: dict[str, Callable[[User, dict[str, Any]], Any]] = {
    "log a moment": lambda alice, j: moment_log(
        author=alice, occurred_at=ago(1), cue="Late reply", states=["freeze"], intensity=4
    ),
    "log a moment months ago": lambda alice, j: moment_log(
        author=alice, occurred_at=ago(days=80), cue="Late reply", states=["freeze"], intensity=4
    ),
    "edit a moment": lambda alice, j: moment_update(
        actor=alice, moment=j["moments"][0], intensity=10
    ),
    "move a moment to another month": lambda alice, j: moment_update(
        actor=alice, moment=j["moments"][0], occurred_at=ago(days=95)
    ),
    "set a moment aside": lambda alice, j: moment_delete(actor=alice, moment=j["moments"][0]),
    "bring a moment back": lambda alice, j: moment_restore(actor=alice, moment=j["moments"][0]),
    "file a moment": lambda alice, j: moment_file(actor=alice, moment=j["moments"][0], theme=None),
    "rename a theme": lambda alice, j: theme_rename(actor=alice, theme=j["theme"], name="Dinner"),
    "delete a theme": lambda alice, j: theme_delete(actor=alice, theme=j["theme"]),
    "rename a person": lambda alice, j: person_rename(actor=alice, person=j["sam"], label="Kim"),
    "delete a person": lambda alice, j: person_delete(actor=alice, person=j["sam"]),
    "take a person off a moment": lambda alice, j: j["sam"].moments.remove(j["moments"][0]),
    "record a practice": lambda alice, j: practice_session_record(
        author=alice, practice_code="long_exhale", intensity_before=8, intensity_after=2
    ),
    "rename one's own practice": lambda alice, j: custom_practice_update(
        actor=alice, practice=j["practice"], name="Counting tides"
    ),
    "import a journal": _import,
}


# What comes first, so that the write has something to change.
BEFORE: dict[str, Callable[[User, dict[str, Any]], Any]] = {
    "bring a moment back": lambda alice, j: moment_delete(actor=alice, moment=j["moments"][0]),
}


@pytest.mark.parametrize("name", WRITES)
def test_a_kept_map_is_not_used_after_a_write_that_changes_it(
    alice: User, journal: dict[str, Any], name: str
) -> None:
    if name in BEFORE:
        BEFORE[name](alice, journal)
    before = the_map(alice)
    write = WRITES[name]
    write(alice, journal)
    fresh = counted(alice)
    assert fresh != before, "the write should change the map, or this test proves nothing"
    assert the_map(alice) == fresh


def test_the_same_map_asked_for_again_is_not_counted_again(
    alice: User, journal: dict[str, Any]
) -> None:
    first = the_map(alice)
    with CaptureQueriesContext(connection) as queries:
        again = the_map(alice)
    assert again == first
    # Only the data key with the map's revision, and the revisions of the period's months: no
    # moment, theme or person.
    assert len(queries) == 2
    assert "core_datakey" in queries[0]["sql"] and "insights_maprevision" in queries[0]["sql"]
    assert "insights_monthrevision" in queries[1]["sql"]


def test_another_persons_write_keeps_alices_map(
    alice: User, bob: User, journal: dict[str, Any]
) -> None:
    the_map(alice)
    moment_log(author=bob, occurred_at=ago(1), cue="Mine", states=["fight"], intensity=5)
    with CaptureQueriesContext(connection) as queries:
        the_map(alice)
    assert len(queries) == 2


def test_a_write_outside_the_period_keeps_the_map(alice: User, journal: dict[str, Any]) -> None:
    the_map(alice)
    moment_log(author=alice, occurred_at=ago(days=400), cue="Old", states=["fight"], intensity=5)
    with CaptureQueriesContext(connection) as queries:
        the_map(alice)
    assert len(queries) == 2


def test_a_change_of_time_zone_counts_the_map_again(alice: User, journal: dict[str, Any]) -> None:
    utc = the_map(alice)
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: the moments move to other hours
    alice.save(update_fields=["time_zone"])
    shifted = the_map(alice)
    assert shifted.time_zone == "Pacific/Kiritimati"
    assert shifted.time_grid != utc.time_grid
    assert shifted == counted(alice)


def test_a_kept_map_holds_none_of_the_persons_words_readably(
    alice: User, journal: dict[str, Any]
) -> None:
    found = the_map(alice)
    assert found.themes[0].name == "Phone at dinner"
    # The test cache holds each value pickled, so the sealed bytes appear in it as they are.
    stored = [v for k, v in cache._cache.items() if ":insights:map:" in k]  # type: ignore[attr-defined]
    assert len(stored) == 1
    for words in ("Phone at dinner", "Sam", "Five slow breaths", "To be chosen"):
        for encoded in (words.encode(), words.encode("utf-16-le"), words.encode("utf-32-le")):
            assert encoded not in stored[0]


def test_a_kept_map_that_does_not_unseal_is_counted_again(
    alice: User, journal: dict[str, Any]
) -> None:
    first = the_map(alice)
    for key in [k for k in cache._cache if ":insights:map:" in k]:  # type: ignore[attr-defined]
        # Damaged, or sealed with another key: ":1:" is the test cache's own prefix.
        cache.set(key.split(":", 2)[-1], vault.VERSION + b"\x00" * 40)
    with CaptureQueriesContext(connection) as queries:
        again = the_map(alice)
    assert again == first
    assert any("journal_moment" in q["sql"] for q in queries)


def test_a_map_with_nothing_to_seal_it_with_is_counted_and_not_kept(alice: User) -> None:
    # Alice has written nothing yet, so she has no data key.
    with pytest.raises(vault.VaultError):
        vault.data_key(alice.pk)
    assert the_map(alice).total == 0
    assert not [k for k in cache._cache if ":insights:map:" in k]  # type: ignore[attr-defined]


def test_deleting_an_account_forgets_its_revision(alice: User, journal: dict[str, Any]) -> None:
    the_map(alice)
    assert MapRevision.objects.filter(owner_id=alice.pk).exists()
    account_delete(user=alice)
    assert not MapRevision.objects.filter(owner_id=alice.pk).exists()
