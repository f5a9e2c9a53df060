"""A page of free times: seven days in the reader's zone, from a first day the address names.

The public page of free times, the booker's move page and the practitioner's move page each
show one such week and page through them with ``?from=``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

from tend.booking.words import day_words

DAYS = 7


def first_day(asked: str, *, today: dt.date, otherwise: dt.date) -> dt.date:
    """The week's first day: the ``from`` the address asks for but never before today, or
    ``otherwise`` when it asks for none (or for something that is not a date)."""
    try:
        return max(dt.date.fromisoformat(asked), today)
    except ValueError:
        return otherwise


def window(first: dt.date, tz: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The week as UTC instants: from midnight of its first day to midnight after its last,
    in the reader's zone (so a week across a clock change is 7 days ± 1 hour)."""

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)

    return midnight(first), midnight(first + dt.timedelta(days=DAYS))


def by_day(
    free: Iterable[dt.datetime],
    tz: zoneinfo.ZoneInfo,
    item: Callable[[dt.datetime], dict[str, str]],
) -> list[dict[str, Any]]:
    """The free starts grouped by the reader's local day, each day with its label in words."""
    days: dict[dt.date, list[dict[str, str]]] = {}
    for start in free:
        days.setdefault(start.astimezone(tz).date(), []).append(item(start))
    return [{"label": day_words(day), "slots": slots} for day, slots in sorted(days.items())]
