"""What a shared weekly summary and a shared trigger map show, built by the insights app.

Callers check access first (``share_visible_to``); these read the owner's own data only.

- The weekly summary is ``tend.insights.selectors.weekly_summary`` for the last seven days:
  counts by kind, states, themes and what helped. Stories come along only when the owner chose
  them, and then only the *story* field (the thought that spiralled), never cues or notes.
- The trigger map is ``tend.insights.selectors.trigger_map`` for the last 90 days, without the
  people the owner named (their private labels are about third parties), without the repeated
  urges and actions and the glimmers' cues (raw words); those stay on the owner's own map page.

Both name the owner's own practices (private, in the practices app) only as "a practice of their
own": they are read by someone else (the shared page, the API, a check-in), never the owner.

How far back a share reaches (one rule, for the pages and the API alike): at most the last 90
days. The map's period is the last 7, 30 or 90 days, whole days in the owner's time zone (as on
their own map page); the summary is of the last seven days (week 0) or one of the eleven
seven-day spans before it (weeks 1 to 11), so the earliest begins 83 days before today; both
count whole days in the owner's zone. A period outside these is not offered, and a page given
one shows the default instead (the API answers 422).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from tend.journal.models import Moment

if TYPE_CHECKING:
    from tend.accounts.models import User

SUMMARY_DAYS = 7
MAP_DAYS = 90
# The periods a shared map may be read for (days), the longest being the share's reach.
MAP_PERIODS = (7, 30, MAP_DAYS)
# Seven-day spans back from now a shared summary may be read for: 0 (the last seven days) to 11.
SUMMARY_WEEKS = 12
STORIES_LIMIT = 30
SHARED_MAP_SECTIONS = ("themes", "body", "helps", "time", "trends", "glimmers")


def map_days(value: object) -> int | None:
    """The map period asked for (``"30"``), if a share may be read for it; else None."""
    try:
        days = int(str(value))
    except ValueError:
        return None
    return days if days in MAP_PERIODS else None


def summary_week(value: object) -> int | None:
    """The summary week asked for (``"0"`` the last seven days, up to ``"11"``), or None."""
    try:
        week = int(str(value))
    except ValueError:
        return None
    return week if 0 <= week < SUMMARY_WEEKS else None


def summary_days(week: int, tz: dt.tzinfo) -> tuple[dt.date, dt.date]:
    """The first and last day of ``week``, whole days in ``tz``: week 0 is the last seven
    days, today included (as the map's "7 days"); week 1 the seven before, and so on."""
    last = timezone.localdate(timezone=tz) - dt.timedelta(days=SUMMARY_DAYS * week)  # type: ignore[arg-type]
    return last - dt.timedelta(days=SUMMARY_DAYS - 1), last


def summary_span(week: int, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """``summary_days`` as times: local midnight to local midnight after the last day."""
    first, last = summary_days(week, tz)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end


def summary_weeks(tz: dt.tzinfo) -> list[tuple[int, dt.date, dt.date]]:
    """The weeks a shared summary may be read for, newest first: (week, first day, last day)
    in ``tz`` (the owner's zone, as the summary itself counts its days)."""
    return [(week, *summary_days(week, tz)) for week in range(SUMMARY_WEEKS)]


def weekly_summary_of(
    *, owner: User, include_stories: bool = False, week: int = 0
) -> dict[str, Any]:
    from tend.insights.selectors import weekly_summary

    if summary_week(week) is None:
        raise ValueError(f"a share reaches back {SUMMARY_WEEKS} weeks at most, not {week}")
    start, end = summary_span(week, owner.tz)
    summary = weekly_summary(owner=owner, start=start, end=end, include_stories=False)
    summary["stories"] = _stories(owner, start, end) if include_stories else []
    # Dates for the page to format in the reader's language (the API shows them as ISO dates).
    summary["first_day"] = dt.date.fromisoformat(summary["from"])
    summary["last_day"] = dt.date.fromisoformat(summary["to"])
    summary["week"] = week
    return summary


def _stories(owner: User, start: dt.datetime, end: dt.datetime) -> list[str]:
    moments = (
        Moment.objects.filter(
            author=owner, deleted_at__isnull=True, occurred_at__gte=start, occurred_at__lt=end
        )
        .exclude(story="")
        .select_related("author__data_key")
        .only("id", "author", "story", "occurred_at")
        .order_by("-occurred_at")[:STORIES_LIMIT]
    )
    return [m.story for m in moments]


def map_span(owner: User, days: int = MAP_DAYS) -> tuple[dt.datetime, dt.datetime]:
    """The last ``days`` whole days in the owner's zone, today included."""
    from tend.insights.forms import bounds, last_days

    if map_days(days) is None:
        raise ValueError(f"a shared map is read for one of {MAP_PERIODS} days, not {days}")
    return bounds(*last_days(days, owner.tz), owner.tz)


def shared_map_of(*, owner: User, days: int = MAP_DAYS) -> Any:
    """The owner's trigger map as someone they share it with reads it, for the last ``days``."""
    from tend.insights.selectors import trigger_map

    start, end = map_span(owner, days)
    found = trigger_map(owner=owner, start=start, end=end).seen_by_others()
    found.people = []
    found.urges = []
    found.actions = []
    found.glimmer_map.people = []
    found.glimmer_map.cues = []
    for theme in found.themes:
        theme.people = []
    found.sections = SHARED_MAP_SECTIONS
    return found
