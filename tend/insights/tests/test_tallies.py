"""Counts kept per month add up to the counts of the whole period, and only touched months are
counted again."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zoneinfo
from typing import Any

import pytest
from django.core.cache import caches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tend.accounts.models import User
from tend.insights import tallies
from tend.insights.queries import Row
from tend.journal.models import Theme
from tend.journal.people import person_add
from tend.journal.services import moment_log, moment_update
from tend.journal.themes import theme_delete

UTC = dt.UTC
# Where kept maps and counts go.
cache = caches["insights"]
ZONES = ["UTC", "Europe/Berlin", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago"]


def instants(low: dt.datetime, high: dt.datetime) -> st.SearchStrategy[dt.datetime]:
    return st.integers(0, int((high - low).total_seconds())).map(
        lambda s: low + dt.timedelta(seconds=s)
    )


PERIODS = st.tuples(
    instants(dt.datetime(2025, 12, 1, tzinfo=UTC), dt.datetime(2026, 2, 10, tzinfo=UTC)),
    st.integers(0, 200),
)


@given(period=PERIODS, zone=st.sampled_from(ZONES))
def test_whole_months_and_the_rest_cover_the_period_exactly_once(
    period: tuple[dt.datetime, int], zone: str
) -> None:
    start, days = period
    end = start + dt.timedelta(days=days, hours=days % 7)
    tz = zoneinfo.ZoneInfo(zone)
    months, rest = tallies.whole_months(start, end, tz)
    pieces = sorted([(since, until) for _, since, until in months] + rest)
    if start < end:
        assert pieces[0][0] == start and pieces[-1][1] == end
        for (_, until), (since, _) in itertools.pairwise(pieces):
            assert until == since  # no gap, no overlap
    for first, since, until in months:
        assert first.day == 1
        assert since.astimezone(tz).date() == first and since.astimezone(tz).time() == dt.time(0)
        assert (until - dt.timedelta(microseconds=1)).astimezone(tz).month == first.month


def _sorted(rows: list[Row]) -> list[tuple[Any, ...]]:
    return sorted(tuple("" if v is None else str(v) for v in r) for r in rows)


def _journal(alice: User, times: list[dt.datetime]) -> None:
    theme = Theme.objects.create(owner=alice, name="Late replies")
    sam, _ = person_add(owner=alice, label="Sam")
    for i, at in enumerate(times):
        moment_log(
            author=alice,
            kind="glimmer" if i % 4 == 3 else "activation",
            occurred_at=at,
            cue="A cue",
            states=[["flight"], ["fight", "flight"], ["freeze"]][i % 3],
            intensity=2 + i % 9,
            intensity_after=1 + i % 3,
            minutes_to_settle=[5, 10, None][i % 3],
            body=[{"region": "chest", "sensations": ["tight"], "intensity": 1 + i % 10}],
            needs=["reassurance"] if i % 2 else [],
            contexts=["apart"],
            people=[sam.id] if i % 3 == 0 else [],
            theme=str(theme.id) if i % 2 == 0 else None,
        )


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    times=st.lists(
        instants(dt.datetime(2025, 12, 20, tzinfo=UTC), dt.datetime(2026, 4, 10, tzinfo=UTC)),
        min_size=1,
        max_size=25,
    ),
    period=PERIODS,
    zone=st.sampled_from(ZONES),
)
def test_counts_from_kept_months_equal_the_counts_of_one_statement(
    django_user_model: Any,
    times: list[dt.datetime],
    period: tuple[dt.datetime, int],
    zone: str,
) -> None:
    cache.clear()
    alice = django_user_model.objects.create_user(
        email=f"alice-{uuid.uuid4().hex}@example.test", password=None, time_zone=zone
    )
    _journal(alice, times)
    start, days = period
    end = start + dt.timedelta(days=days)
    tz = zoneinfo.ZoneInfo(zone)
    whole = _sorted(tallies.in_one_statement(owner_id=alice.pk, start=start, end=end, tz=tz))
    # Counted (and kept), then again from what was kept.
    assert _sorted(tallies.counted(owner_id=alice.pk, start=start, end=end, tz=tz)) == whole
    assert _sorted(tallies.counted(owner_id=alice.pk, start=start, end=end, tz=tz)) == whole


def whole(alice: User) -> list[Row]:
    return tallies.in_one_statement(owner_id=alice.pk, start=START, end=END, tz=alice.tz)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch, alice: User) -> list[Any]:
    """Each statement ``tallies`` counts with: its ranges, or its start and end.

    Alice keeps UTC here, so that her months start at midnight UTC.
    """
    alice.time_zone = "UTC"
    alice.save(update_fields=["time_zone"])
    calls: list[Any] = []
    real = tallies.count_tuples

    def spy(**kwargs: Any) -> list[tuple[Any, ...]]:
        calls.append(kwargs.get("ranges") or (kwargs["start"], kwargs["end"]))
        return real(**kwargs)

    monkeypatch.setattr(tallies, "count_tuples", spy)
    return calls


START = dt.datetime(2026, 1, 15, tzinfo=UTC)
END = dt.datetime(2026, 5, 20, tzinfo=UTC)


@pytest.mark.django_db
def test_a_write_counts_again_only_the_months_it_touched(alice: User, counting: list[Any]) -> None:
    _journal(alice, [dt.datetime(2026, m, 10, 12, tzinfo=UTC) for m in (1, 2, 3, 4, 5)])
    tz = alice.tz
    tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    # February, March and April whole, then the rest (January's end, May's start) in one.
    assert len(counting) == 4
    counting.clear()
    tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    assert len(counting) == 1  # only the rest
    counting.clear()
    moment_log(
        author=alice,
        occurred_at=dt.datetime(2026, 3, 2, tzinfo=UTC),
        cue="Another",
        states=["freeze"],
        intensity=3,
    )
    found = tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    assert counting[0] == (dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC))
    assert len(counting) == 2  # March and the rest
    assert _sorted(found) == _sorted(whole(alice))


@pytest.mark.django_db
def test_moving_a_moment_counts_both_its_months_again(alice: User, counting: list[Any]) -> None:
    _journal(alice, [dt.datetime(2026, m, 10, 12, tzinfo=UTC) for m in (2, 3, 4)])
    tz = alice.tz
    tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    moment = alice.moments.get(occurred_at__month=2)
    counting.clear()
    moment_update(actor=alice, moment=moment, occurred_at=dt.datetime(2026, 4, 2, tzinfo=UTC))
    found = tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    recounted = {call[0].month for call in counting if isinstance(call[0], dt.datetime)}
    assert recounted == {2, 4}
    assert _sorted(found) == _sorted(whole(alice))


@pytest.mark.django_db
def test_deleting_a_theme_counts_every_month_again(alice: User, counting: list[Any]) -> None:
    _journal(alice, [dt.datetime(2026, m, 10, 12, tzinfo=UTC) for m in (2, 3, 4)])
    tz = alice.tz
    tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    counting.clear()
    theme_delete(actor=alice, theme=Theme.objects.get(owner=alice))
    found = tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    assert len(counting) == 4
    assert _sorted(found) == _sorted(whole(alice))
    assert not [r for r in found if r.theme is not None]


@pytest.mark.django_db
def test_a_period_a_day_later_makes_its_weeks_from_the_kept_days(
    alice: User, counting: list[Any]
) -> None:
    _journal(alice, [dt.datetime(2026, m, d, 12, tzinfo=UTC) for m in (2, 3, 4) for d in (3, 9)])
    tz = alice.tz
    tallies.counted(owner_id=alice.pk, start=START, end=END, tz=tz)
    counting.clear()
    # The same whole months, weeks from the next day: only the rest is counted.
    later, end = START + dt.timedelta(days=1), END + dt.timedelta(days=1)
    found = tallies.counted(owner_id=alice.pk, start=later, end=end, tz=tz)
    assert len(counting) == 1 and isinstance(counting[0], list)  # ranges: the rest
    one = tallies.in_one_statement(owner_id=alice.pk, start=later, end=end, tz=tz)
    assert _sorted(found) == _sorted(one)
