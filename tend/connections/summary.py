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
STORIES_LIMIT = 30
SHARED_MAP_SECTIONS = ("themes", "body", "helps", "time", "trends", "glimmers")


def weekly_summary_of(*, owner: User, include_stories: bool = False) -> dict[str, Any]:
    from tend.insights.selectors import weekly_summary

    end = timezone.now()
    start = end - dt.timedelta(days=SUMMARY_DAYS)
    summary = weekly_summary(owner=owner, start=start, end=end, include_stories=False)
    summary["stories"] = _stories(owner, start, end) if include_stories else []
    # Dates for the page to format in the reader's language (the API shows them as ISO dates).
    summary["first_day"] = dt.date.fromisoformat(summary["from"])
    summary["last_day"] = dt.date.fromisoformat(summary["to"])
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


def shared_map_of(*, owner: User) -> Any:
    from tend.insights.selectors import trigger_map

    end = timezone.now()
    found = trigger_map(
        owner=owner, start=end - dt.timedelta(days=MAP_DAYS), end=end
    ).seen_by_others()
    found.people = []
    found.urges = []
    found.actions = []
    found.glimmer_map.people = []
    found.glimmer_map.cues = []
    for theme in found.themes:
        theme.people = []
    found.sections = SHARED_MAP_SECTIONS
    return found
