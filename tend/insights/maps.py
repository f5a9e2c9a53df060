"""The trigger map as it is shown: what ``selectors.count_map`` builds and ``kept.py`` keeps.

Plain data, apart from the counting (``selectors.py``), the ranking of what helps (``helps.py``)
and the charts (``report.py``), so that each of those imports these and none imports another.
Kept maps are these classes pickled: a change to their shape raises ``kept.FORMAT``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tend.insights.stats import MIN_N, Summary, median_interval

if TYPE_CHECKING:
    from tend.insights.charts import Chart

SECTIONS = ("themes", "body", "helps", "time", "people", "trends", "glimmers", "patterns")


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    n: int


# What someone else reads in place of the name of one of the person's own practices.
OWN_PRACTICE = gettext_lazy("a practice of their own")
# Nor does the key say which of them it was: the practice's id is the owner's to know.
_OTHERS_KEY = "practice:own"


@dataclass
class Help:
    key: str
    label: str
    source: str  # "journal" or "practice"
    # One of the person's own practices (``CustomPractice``): its label is their private name.
    own: bool = False
    drops: Counter[float] = field(default_factory=Counter)
    states: set[str] = field(default_factory=set)
    # Per state: the drops of the moments or sessions in that state.
    by_state: dict[str, Counter[float]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return sum(self.drops.values())

    @property
    def enough(self) -> bool:
        return self.n >= MIN_N

    @property
    def drop(self) -> Summary:
        return Summary.of_counts(self.drops)

    @property
    def interval(self) -> tuple[float, float] | None:
        return median_interval(self.drops)

    @property
    def source_label(self) -> str:
        return _("a practice") if self.source == "practice" else _("your words")

    def within(self, state: str) -> Help:
        return Help(
            key=self.key,
            label=self.label,
            source=self.source,
            own=self.own,
            drops=Counter(self.by_state.get(state, {})),
            states={state},
        )


def helps_seen_by_others(helps: list[Help]) -> list[Help]:
    """``helps`` as someone else may read them: one's own practices without their names.

    A person's own practices are private (the practices pages say so), and their names are their
    words; a partner reading a shared map or summary learns that a practice of their own helped,
    never what they called it. Copies, so the owner's kept map is never changed.
    """
    return [
        dataclasses.replace(h, label=str(OWN_PRACTICE), key=_OTHERS_KEY) if h.own else h
        for h in helps
    ]


@dataclass
class ThemeRow:
    id: uuid.UUID | None
    name: str
    n: int
    states: list[Count]
    intensity: Summary
    drop: Summary
    settle: Summary
    regions: list[Count]
    needs: list[Count]
    people: list[Count]
    contexts: list[Count]


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: str
    n: int
    intensity: Summary


@dataclass(frozen=True)
class RegionHeat:
    code: str
    label: str
    n: int
    intensity: Summary


@dataclass(frozen=True)
class Week:
    index: int
    start: dt.date
    activations: int
    glimmers: int
    intensity: Summary
    settle: Summary
    states: dict[str, int]


@dataclass
class GlimmerMap:
    n: int
    cues: list[Count]
    regions: list[RegionHeat]
    people: list[Breakdown]
    contexts: list[Breakdown]


@dataclass
class TriggerMap:
    owner_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    time_zone: str
    activations: int
    glimmers: int
    themes: list[ThemeRow]
    body: dict[str, list[RegionHeat]]
    helps: list[Help]
    helps_by_state: list[tuple[Count, list[Help]]]
    time_grid: list[list[int]]  # [weekday Monday-first][hour] activations
    people: list[Breakdown]
    contexts: list[Breakdown]
    weeks: list[Week]
    glimmer_map: GlimmerMap
    urges: list[Count]
    actions: list[Count]
    texts_scanned: int
    texts_limited: bool
    states: list[Count] = field(default_factory=list)
    # The sections a report shows; the page shows them all.
    sections: tuple[str, ...] = SECTIONS

    @cached_property
    def charts(self) -> dict[str, Chart]:
        # Imported here: the report draws from these classes, so it cannot be imported above.
        from tend.insights.report import charts_for

        return charts_for(self)

    def seen_by_others(self) -> TriggerMap:
        """This map as someone else reads it (a partner's shared map or weekly summary).

        The names of the owner's own practices become "a practice of their own". A copy made
        at presentation time: what ``kept.py`` keeps is always the owner's map, and a map for
        others is never kept, so neither can be served in place of the other. ``replace`` builds
        a new instance, so charts cached on this one (with the names) do not come along.
        """
        return dataclasses.replace(
            self,
            helps=helps_seen_by_others(self.helps),
            helps_by_state=[
                (state, helps_seen_by_others(ranking)) for state, ranking in self.helps_by_state
            ],
        )

    @property
    def total(self) -> int:
        return self.activations + self.glimmers

    @property
    def enough(self) -> bool:
        return self.activations >= MIN_N

    @property
    def first_day(self) -> dt.date:
        return self.start.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()

    @property
    def last_day(self) -> dt.date:
        tz = zoneinfo.ZoneInfo(self.time_zone)
        return (self.end - dt.timedelta(microseconds=1)).astimezone(tz).date()
