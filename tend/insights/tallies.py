"""The map's counts, kept per month: after a write only the months it touched are counted again.

A trigger map of a year counts about twenty thousand moments for someone who logs often; counted
in one statement that is most of the map's cost, again after every write (``kept.py`` keeps whole
maps only until the next write). But the counts (``queries.Row``) add up: the counts of a year
are the sums of its months'. So the counts of each whole local month inside the period are kept
in the cache, keyed by the month's revision and the owner's ``counts_token`` (``revisions.py``).
The parts of the period outside whole months (its first and last days) are counted in one
statement each time. A logged moment usually lands in the current month,
which is never whole, so a year's map after a write counts a month or so of moments, not twelve.

Counts hold ids, codes and numbers, never words, the same as the structured columns they come
from, so they are kept as they are, not sealed.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.core.cache import caches

from tend.insights.queries import Row, count_tuples, rows_of
from tend.insights.revisions import counts_revisions, first_of, next_month, revisions_digest

UTC = dt.UTC
# Raise when the kept rows change meaning: counts kept by an older release are then not found.
FORMAT = 1
TIMEOUT = 30 * 24 * 60 * 60
EPOCH = dt.date(1970, 1, 1)


def _local_start(first: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(first, dt.time(0), tzinfo=tz).astimezone(UTC)


def whole_months(
    start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo
) -> tuple[list[tuple[dt.date, dt.datetime, dt.datetime]], list[tuple[dt.datetime, dt.datetime]]]:
    """``[start, end)`` cut into whole local months (first day, from, to) and what is left.

    Together they cover the period exactly once: each month runs from its local midnight to the
    next month's, the same instants whoever computes them.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    months: list[tuple[dt.date, dt.datetime, dt.datetime]] = []
    first = first_of(start.astimezone(tz).date())
    while True:
        since, until = _local_start(first, tz), _local_start(next_month(first), tz)
        if until > end:
            break
        if since >= start:
            months.append((first, since, until))
        first = next_month(first)
    if not months:
        return [], [(start, end)] if start < end else []
    rest = [(start, months[0][1]), (months[-1][2], end)]
    return months, [(since, until) for since, until in rest if since < until]


def _month_key(owner_id: uuid.UUID, tz: str, month: dt.date, counts: str, token: str) -> str:
    return f"tend:insights:month:{FORMAT}:{owner_id}:{tz}:{month:%Y-%m}:{counts}:{token}"


def _months_key(
    owner_id: uuid.UUID, tz: str, first_day: int | None, counts: str, tokens: dict[dt.date, str]
) -> str:
    """The key of the months' sum: by week from ``first_day``, or by day (None)."""
    by = "day" if first_day is None else first_day
    digest = revisions_digest(tokens)
    return f"tend:insights:months:{FORMAT}:{owner_id}:{tz}:{by}:{counts}:{digest}"


def day_number(at: dt.datetime, tz: zoneinfo.ZoneInfo) -> int:
    """The local day of ``at``, in days since 1970-01-01."""
    return (at.astimezone(tz).date() - EPOCH).days


def in_one_statement(
    *, owner_id: uuid.UUID, start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo
) -> list[Row]:
    """The map's counts of ``[start, end)`` in one statement, by week of the period."""
    counted = count_tuples(owner_id=owner_id, start=start, end=end, tz=tz)
    return rows_of(summed([weekly(counted, day_number(start, tz))]))


def counted(
    *, owner_id: uuid.UUID, start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo
) -> list[Row]:
    """The same counts as ``in_one_statement``, the whole months' from what is kept.

    Three things are kept: each whole month's counts (by local day); their sum by day; and that
    sum by week of the period, keyed by all the months' revisions. A moment logged today touches
    none of them (today's month is not whole), so the map after it reads one sum from the cache
    and counts only the days outside whole months. A rolling period asked for on the next day
    starts its weeks on another day: its weeks are made from the sum by day. A write in an
    earlier month has that month counted again and the sums made again from the kept months.
    """
    months, rest = whole_months(start, end, tz)
    if len(months) < 2:
        # Too little to gain: one statement counts it all.
        return in_one_statement(owner_id=owner_id, start=start, end=end, tz=tz)
    first_day = day_number(start, tz)
    counts, tokens = counts_revisions(owner_id, [first for first, _, _ in months])
    kept = caches["insights"]
    weeks_key = _months_key(owner_id, tz.key, first_day, counts, tokens)
    whole = kept.get(weeks_key)
    if not isinstance(whole, list):
        days_key = _months_key(owner_id, tz.key, None, counts, tokens)
        days = kept.get(days_key)
        if not isinstance(days, list):
            days = summed(_months(owner_id, tz, months, counts, tokens))
            kept.set(days_key, days, TIMEOUT)
        whole = summed([weekly(days, first_day)])
        kept.set(weeks_key, whole, TIMEOUT)
    parts: list[Sequence[tuple[Any, ...]]] = [whole]
    if rest:
        counted = count_tuples(owner_id=owner_id, start=start, end=end, tz=tz, ranges=rest)
        parts.append(weekly(counted, first_day))
    return rows_of(summed(parts))


def _months(
    owner_id: uuid.UUID,
    tz: zoneinfo.ZoneInfo,
    months: list[tuple[dt.date, dt.datetime, dt.datetime]],
    counts: str,
    tokens: dict[dt.date, str],
) -> list[list[tuple[Any, ...]]]:
    """Each whole month's counts by local day, from the cache or counted now (and kept)."""
    keys = {
        first: _month_key(owner_id, tz.key, first, counts, tokens[first]) for first, _, _ in months
    }
    found = caches["insights"].get_many(list(keys.values()))
    out: list[list[tuple[Any, ...]]] = []
    fresh: dict[str, list[tuple[Any, ...]]] = {}
    for first, since, until in months:
        kept = found.get(keys[first])
        if not isinstance(kept, list):
            kept = fresh[keys[first]] = count_tuples(
                owner_id=owner_id, start=since, end=until, tz=tz
            )
        out.append(kept)
    if fresh:
        caches["insights"].set_many(fresh, TIMEOUT)
    return out


# The parts counted by local day, and what they are summed into: weeks of the period.
WEEKLY = {"day": "week", "day_settle": "week_settle", "day_state": "week_state"}


def weekly(counted: Sequence[tuple[Any, ...]], first_day: int) -> list[tuple[Any, ...]]:
    """``counted`` with its days made weeks from ``first_day`` (the period's first local day)."""
    out = []
    for row in counted:
        week = WEEKLY.get(row[0])
        if week is not None:
            row = (week, row[1], row[2], str((int(row[3]) - first_day) // 7), row[4], row[5])
        out.append(row)
    return out


def summed(parts: Sequence[Sequence[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """Counts of several parts as one: the same groups' numbers added up."""
    totals: dict[tuple[Any, ...], int] = {}
    for rows in parts:
        for r in rows:
            key = r[:5]
            totals[key] = totals.get(key, 0) + r[5]
    return [(*key, n) for key, n in totals.items()]
