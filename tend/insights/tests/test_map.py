"""The trigger map on hand-built journals where the right answers are known."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.insights.selectors import trigger_map, weekly_summary
from tend.journal.models import Theme
from tend.journal.people import person_add
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, tzinfo=UTC)
END = dt.datetime(2026, 4, 1, tzinfo=UTC)


def at(day: int, hour: int = 12, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def log(author: User, **fields: Any) -> Any:
    fields.setdefault("occurred_at", at(10))
    return MomentFactory(author=author, **fields)


@pytest.fixture
def journal(alice: User, bob: User) -> dict[str, Any]:
    """Alice's month: two themes, a moment with no theme, glimmers, and some noise around it."""
    dinner = Theme.objects.create(owner=alice, name="phone at dinner")
    dates = Theme.objects.create(owner=alice, name="date nights")
    sam, _ = person_add(owner=alice, label="Sam")
    # phone at dinner: five activations, intensities 2, 4, 6, 8, 10 (median 6, quartiles 4 and 8).
    for i, (intensity, after) in enumerate([(2, 1), (4, 1), (6, 2), (8, 4), (10, 5)]):
        moment = log(
            alice,
            theme=dinner,
            occurred_at=at(2 + i),
            intensity=intensity,
            intensity_after=after,
            minutes_to_settle=[5, 10, 15, 20, 60][i],
            states=["flight"] if i < 3 else ["fight", "flight"],
            body=[{"region": "chest", "sensations": ["tight"], "intensity": intensity}]
            + ([{"region": "gut", "sensations": ["knot"], "intensity": 3}] if i == 0 else []),
            needs=["not_prioritised"],
            contexts=["together", "at_home"],
            helped=["Five breaths", "five breaths ", "Walk", "FIVE BREATHS", "Walk"][i],
            urge="Check their phone" if i % 2 == 0 else "go quiet",
        )
        if i < 2:
            moment.people.add(sam)
    # date nights: three activations: too few to tell.
    for i in range(3):
        log(
            alice,
            theme=dates,
            occurred_at=at(12 + i, hour=21),
            intensity=7,
            intensity_after=6,
            states=["freeze"],
            contexts=["partner_on_date", "apart"],
            helped="Five breaths",
            urge="check their phone",
        )
    # No theme, and a glimmer twice with the same words.
    log(alice, occurred_at=at(20), intensity=3, states=["fawn"])
    for day in (21, 22):
        log(
            alice,
            kind="glimmer",
            occurred_at=at(day),
            cue="Hand on my knee" if day == 21 else "hand on my knee",
            states=["connected"],
            intensity=6,
            body=[{"region": "heart", "sensations": ["warm"], "intensity": 5}],
        )
    # Outside the period, deleted, or someone else's: none of these may count.
    log(alice, theme=dinner, occurred_at=at(28, month=2), intensity=9)
    log(alice, theme=dinner, occurred_at=at(1, month=4), intensity=9)
    log(alice, theme=dinner, occurred_at=at(15), intensity=9, deleted_at=timezone.now())
    log(bob, occurred_at=at(15), intensity=9, cue="bob's own", helped="Five breaths")
    return {"dinner": dinner, "dates": dates, "sam": sam}


def test_it_counts_activations_and_glimmers_of_the_owner_in_the_period_only(
    alice: User, journal: dict[str, Any]
) -> None:
    found = trigger_map(owner=alice, start=START, end=END)
    assert (found.activations, found.glimmers) == (9, 2)
    assert [(t.name, t.n) for t in found.themes] == [
        ("phone at dinner", 5),
        ("date nights", 3),
        ("No theme", 1),
    ]


def test_it_gives_each_theme_its_median_spread_drop_and_time_to_settle(
    alice: User, journal: dict[str, Any]
) -> None:
    dinner = trigger_map(owner=alice, start=START, end=END).themes[0]
    assert (dinner.intensity.n, dinner.intensity.median) == (5, 6)
    assert (dinner.intensity.q1, dinner.intensity.q3) == (4, 8)
    # Drops 1, 3, 4, 4, 5.
    assert dinner.drop.median == 4
    assert dinner.settle.median == 15
    assert [(c.label, c.n) for c in dinner.states] == [("Flight", 5), ("Fight", 2)]
    assert [(c.code, c.n) for c in dinner.regions] == [("chest", 5), ("gut", 1)]
    assert [(c.code, c.n) for c in dinner.needs] == [("not_prioritised", 5)]
    assert [(c.label, c.n) for c in dinner.people] == [("Sam", 2)]


def test_it_says_too_few_to_tell_below_five(alice: User, journal: dict[str, Any]) -> None:
    found = trigger_map(owner=alice, start=START, end=END)
    dates = found.themes[1]
    assert dates.n == 3
    assert dates.intensity.median == 7
    assert not dates.intensity.enough
    assert found.themes[0].intensity.enough


def test_the_body_heat_map_finds_the_hot_regions_for_activations_and_glimmers(
    alice: User, journal: dict[str, Any]
) -> None:
    found = trigger_map(owner=alice, start=START, end=END)
    hottest = found.body["activation"][0]
    assert (hottest.code, hottest.n, hottest.intensity.median) == ("chest", 5, 6)
    assert [(r.code, r.n) for r in found.body["activation"]] == [("chest", 5), ("gut", 1)]
    assert [(r.code, r.n) for r in found.body["glimmer"]] == [("heart", 2)]
    assert found.charts["body_activation"].table.rows[0] == ["Chest", "5", "6"]


def test_what_helps_is_ranked_by_median_drop_grouping_words_case_insensitively(
    alice: User, journal: dict[str, Any]
) -> None:
    helps = trigger_map(owner=alice, start=START, end=END).helps
    # "Five breaths" in any case and spacing: drops 1, 3 and 4 (dinner) and 1, 1, 1 (dates).
    # "Walk": drops 4 and 5, a larger median, but too few to tell, so ranked after.
    assert [(h.label, h.n, h.enough) for h in helps] == [
        ("Five breaths", 6, True),
        ("Walk", 2, False),
    ]
    assert helps[0].drop.median == 1
    assert helps[0].interval is not None
    assert helps[1].interval is None


def test_time_of_day_and_weekday_are_in_the_persons_time_zone_across_a_clock_change(
    alice: User,
) -> None:
    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])
    # Monday 2 March 03:30 UTC is Sunday 1 March 22:30 in New York (UTC-5).
    log(alice, occurred_at=dt.datetime(2026, 3, 2, 3, 30, tzinfo=UTC))
    # Wednesday 1 April 02:30 UTC is Tuesday 31 March 22:30 in New York (UTC-4 after 8 March).
    log(alice, occurred_at=dt.datetime(2026, 4, 1, 2, 30, tzinfo=UTC))
    tz = ZoneInfo("America/New_York")
    found = trigger_map(
        owner=alice,
        start=dt.datetime(2026, 3, 1, tzinfo=tz),
        end=dt.datetime(2026, 4, 1, tzinfo=tz),
    )
    cells = {
        (day, hour): n for day, row in enumerate(found.time_grid) for hour, n in enumerate(row) if n
    }
    assert cells == {(6, 22): 1, (1, 22): 1}  # Sunday and Tuesday, Monday-first.
    assert found.weeks[0].activations == 1
    assert found.weeks[-1].start == dt.date(2026, 3, 29)
    assert found.weeks[-1].activations == 1


def test_a_moment_seconds_after_a_clock_change_has_the_new_offset(alice: User) -> None:
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    # Berlin moves from UTC+1 to UTC+2 at 01:00:00 UTC on Sunday 29 March 2026: five seconds
    # later it is 03:00:05 there, and 00:59:59 UTC is still 01:59:59.
    log(alice, occurred_at=dt.datetime(2026, 3, 29, 1, 0, 5, tzinfo=UTC))
    log(alice, occurred_at=dt.datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC))
    tz = ZoneInfo("Europe/Berlin")
    found = trigger_map(
        owner=alice,
        start=dt.datetime(2026, 3, 1, tzinfo=tz),
        end=dt.datetime(2026, 4, 1, tzinfo=tz),
    )
    cells = {
        (day, hour): n for day, row in enumerate(found.time_grid) for hour, n in enumerate(row) if n
    }
    assert cells == {(6, 3): 1, (6, 1): 1}


def test_hours_are_exact_in_a_half_hour_time_zone(alice: User) -> None:
    alice.time_zone = "Asia/Kolkata"
    alice.save(update_fields=["time_zone"])
    # 12:30 UTC is 18:00 in Kolkata (UTC+5:30); a microsecond earlier is still 17:59.
    log(alice, occurred_at=dt.datetime(2026, 3, 10, 12, 30, tzinfo=UTC))
    log(alice, occurred_at=dt.datetime(2026, 3, 10, 12, 29, 59, 999999, tzinfo=UTC))
    tz = ZoneInfo("Asia/Kolkata")
    found = trigger_map(
        owner=alice,
        start=dt.datetime(2026, 3, 1, tzinfo=tz),
        end=dt.datetime(2026, 4, 1, tzinfo=tz),
    )
    # Tuesday, Monday-first.
    assert [(h, n) for h, n in enumerate(found.time_grid[1]) if n] == [(17, 1), (18, 1)]


def test_lists_count_each_code_whatever_the_order_it_was_chosen_in(alice: User) -> None:
    log(alice, occurred_at=at(2), states=["fight", "flight"], contexts=["together", "at_home"])
    log(alice, occurred_at=at(3), states=["flight", "fight"], contexts=["at_home", "together"])
    log(alice, occurred_at=at(4), states=["flight"], contexts=["at_home"])
    found = trigger_map(owner=alice, start=START, end=END)
    assert [(c.code, c.n) for c in found.states] == [("flight", 3), ("fight", 2)]
    assert [(b.code, b.n) for b in found.contexts] == [("at_home", 3), ("together", 2)]
    assert found.weeks[0].states == {"fight": 2, "flight": 3}


def test_people_and_contexts_break_activations_down(alice: User, journal: dict[str, Any]) -> None:
    found = trigger_map(owner=alice, start=START, end=END)
    assert [(b.label, b.n, b.intensity.median) for b in found.people] == [("Sam", 2, 3)]
    by_context = {b.code: (b.n, b.intensity.median) for b in found.contexts}
    assert by_context["together"] == (5, 6)
    assert by_context["partner_on_date"] == (3, 7)


def test_the_glimmer_map_and_recurring_urges(alice: User, journal: dict[str, Any]) -> None:
    found = trigger_map(owner=alice, start=START, end=END)
    # Two spellings, one cue; the label is one of the person's own spellings.
    assert [c.n for c in found.glimmer_map.cues] == [2]
    assert found.glimmer_map.cues[0].label.casefold() == "hand on my knee"
    assert [(c.code, c.n) for c in found.urges] == [("check their phone", 6), ("go quiet", 2)]


def test_an_empty_period_is_empty_not_an_error(alice: User) -> None:
    found = trigger_map(owner=alice, start=START, end=END)
    assert (found.total, found.themes, found.helps) == (0, [], [])
    assert not found.enough


def test_the_weekly_summary_has_counts_and_no_words_unless_asked(
    alice: User, journal: dict[str, Any]
) -> None:
    summary = weekly_summary(owner=alice, start=START, end=END)
    assert summary["activations"] == 9
    assert summary["themes"][0] == {"name": "phone at dinner", "n": 5}
    assert "stories" not in summary
    assert "partner glanced" not in str(summary)
    with_stories = weekly_summary(owner=alice, start=START, end=END, include_stories=True)
    assert with_stories["stories"][0]["cue"] == "partner glanced at their buzzing phone at dinner"


def test_practices_rank_beside_ones_own_words_by_state(alice: User, bob: User) -> None:
    from tend.practices.models import CustomPractice, PracticeSession

    mine = CustomPractice.objects.create(author=alice, name="Cold water on my wrists")
    for before, after in [(8, 2), (7, 2), (9, 3), (6, 1), (8, 3)]:  # drops 6, 5, 6, 5, 5
        PracticeSession.objects.create(
            author=alice,
            practice_code="custom",
            custom_practice=mine,
            started_at=at(5),
            intensity_before=before,
            intensity_after=after,
            state="flight",
        )
    catalogue_code = "physiological_sigh"
    for _ in range(2):
        PracticeSession.objects.create(
            author=alice,
            practice_code=catalogue_code,
            started_at=at(6),
            intensity_before=5,
            intensity_after=4,
        )
    # Bob's, outside the period, or without an "after": none of these count.
    PracticeSession.objects.create(
        author=bob, practice_code="custom", started_at=at(5), intensity_before=9, intensity_after=0
    )
    PracticeSession.objects.create(
        author=alice, practice_code=catalogue_code, started_at=at(5, month=4), intensity_before=9
    )
    found = trigger_map(owner=alice, start=START, end=END)
    first = found.helps[0]
    assert (first.label, first.source, first.n, first.enough) == (
        "Cold water on my wrists",
        "practice",
        5,
        True,
    )
    assert found.helps[0].drop.median == 5
    assert [h.n for h in found.helps[1:]] == [2]
    state, ranking = found.helps_by_state[0]
    assert (state.code, [h.label for h in ranking]) == ("flight", ["Cold water on my wrists"])


@pytest.mark.django_db(transaction=True)
def test_counting_on_sqlite_takes_no_write_lock(alice: User) -> None:
    """SQLite begins every transaction IMMEDIATE (the write lock): a read must not open one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tend.insights.queries import count_tuples

    if connection.vendor != "sqlite":
        pytest.skip("the write lock is SQLite's")
    log(alice, occurred_at=at(2), states=["flight"], intensity=5)
    with CaptureQueriesContext(connection) as captured:
        count_tuples(owner_id=alice.pk, start=START, end=END, tz=ZoneInfo("UTC"))
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    assert "BEGIN" not in statements
    assert statements == ["WITH"]
