"""The weekly summary a person may share: counts, states, themes, what helped — no stories unless
the owner chose them. Built here from the journal's structured fields, for the owner's own data
only; callers check access first (``share_visible_to``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING

from django.utils import timezone

from tend.journal import vocabulary
from tend.journal.models import Moment

if TYPE_CHECKING:
    from tend.accounts.models import User


@dataclass
class WeeklySummary:
    start: dt.datetime
    end: dt.datetime
    activations: int = 0
    glimmers: int = 0
    states: list[tuple[str, int]] = field(default_factory=list)
    themes: list[tuple[str, int]] = field(default_factory=list)
    # Median drop in intensity where both before and after were noted, with how many.
    median_drop: float | None = None
    drops_noted: int = 0
    stories: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.activations + self.glimmers


def weekly_summary_of(
    *, owner: User, end: dt.datetime | None = None, include_stories: bool = False
) -> WeeklySummary:
    """The last seven days of ``owner``'s moments, summarised."""
    end = end or timezone.now()
    start = end - dt.timedelta(days=7)
    moments = (
        Moment.objects.filter(
            author=owner, deleted_at__isnull=True, occurred_at__gte=start, occurred_at__lt=end
        )
        .select_related("author__data_key", "theme__owner__data_key")
        .order_by("-occurred_at")
    )
    summary = WeeklySummary(start=start, end=end)
    states: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    drops: list[int] = []
    for moment in moments:
        if moment.kind == Moment.Kind.GLIMMER:
            summary.glimmers += 1
        else:
            summary.activations += 1
        states.update(moment.states)
        if moment.theme is not None:
            themes[moment.theme.name] += 1
        if moment.intensity is not None and moment.intensity_after is not None:
            drops.append(moment.intensity - moment.intensity_after)
        if include_stories and moment.story:
            summary.stories.append(moment.story)
    summary.states = [(vocabulary.label("states", code), n) for code, n in states.most_common()]
    summary.themes = themes.most_common()
    summary.drops_noted = len(drops)
    summary.median_drop = float(median(drops)) if drops else None
    return summary
