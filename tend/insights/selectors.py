"""Reads for the insights: the trigger map and the weekly summary, of one owner's own data.

``trigger_map`` counts in the database (``queries.py``; whole months' counts kept by
``tallies.py``), keeps what it built until its data changes (``kept.py``), and decrypts only
what it must show: theme names, people labels, the person's own need and context labels, and
— bounded to the most recent ``TEXT_SCAN_LIMIT`` moments of the period — the words of "what
helped", urges, actions and glimmer cues, which are grouped case-insensitively after decryption.

The caller must already have decided that the viewer may see the owner's map (the owner
themselves, or connections after their share check): these functions take an owner, not a viewer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tend.insights import helps as helps_module
from tend.insights import tallies
from tend.insights.kept import kept_or_built
from tend.insights.queries import Row, lists
from tend.insights.stats import MIN_N, Summary
from tend.journal import vocabulary
from tend.journal.models import Moment, Theme
from tend.journal.people_models import Person
from tend.journal.selectors import own_labels

if TYPE_CHECKING:
    from tend.accounts.models import User
    from tend.insights.charts import Chart

# The words of at most this many recent moments are decrypted for one map.
TEXT_SCAN_LIMIT = 1_000
TOP = 3
SECTIONS = ("themes", "body", "helps", "time", "people", "trends", "glimmers", "patterns")
WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)  # Sunday first, as the databases count.


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    n: int


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
    helps: list[helps_module.Help]
    helps_by_state: list[tuple[Count, list[helps_module.Help]]]
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
            helps=helps_module.seen_by_others(self.helps),
            helps_by_state=[
                (state, helps_module.seen_by_others(ranking))
                for state, ranking in self.helps_by_state
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


def _top(counter: Counter[str], labels: dict[str, str], limit: int | None = TOP) -> list[Count]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return [Count(code, labels.get(code, code), n) for code, n in ranked[:limit]]


def _int(value: str | None) -> int | None:
    return None if value is None else round(float(value))


def _labels(kind: str, own: dict[str, str]) -> dict[str, str]:
    return {**{t.code: str(t.label) for t in vocabulary.VOCABULARIES[kind]}, **own}


def trigger_map(*, owner: User, start: dt.datetime, end: dt.datetime) -> TriggerMap:
    """The owner's trigger map for ``[start, end)``. Owner's own data only (see module doc).

    Kept, sealed, until something in it changes (``kept.py``): asked for again, it is not
    counted again.
    """
    return kept_or_built(
        owner_id=owner.pk,
        tz=owner.tz.key,
        start=start,
        end=end,
        build=lambda: count_map(owner=owner, start=start, end=end),
    )


def count_map(
    *, owner: User, start: dt.datetime, end: dt.datetime, by_month: bool = True
) -> TriggerMap:
    """The owner's trigger map for ``[start, end)``, counted now (``trigger_map`` keeps it).

    Whole months come from their kept counts (``tallies.py``); ``by_month=False`` counts the
    whole period in one statement instead, which the tests compare with.
    """
    tz = owner.tz
    counting = tallies.counted if by_month else tallies.in_one_statement
    rows = counting(owner_id=owner.pk, start=start, end=end, tz=tz)
    own = own_labels(owner=owner)
    need_labels = _labels("needs", own)
    context_labels = _labels("contexts", own)
    state_labels = _labels("states", {})
    region_labels = _labels("regions", {})

    by_part: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_part[row.part].append(row)

    theme_ids = {r.theme for r in by_part["intensity"] if r.theme is not None}
    person_ids = {uuid.UUID(r.key) for r in by_part["person"] if r.key}
    theme_names = {
        t.id: t.name
        for t in Theme.objects.filter(owner=owner, id__in=theme_ids).select_related(
            "owner__data_key"
        )
    }
    person_labels = {
        str(p.id): p.label
        for p in Person.objects.filter(owner=owner, id__in=person_ids).select_related(
            "owner__data_key"
        )
    }
    # The database may give a uuid's text with or without dashes; key people by the dashed form.
    by_part["person"] = [
        r._replace(key=str(uuid.UUID(r.key))) if r.key else r for r in by_part["person"]
    ]

    activation = Moment.Kind.ACTIVATION
    glimmer = Moment.Kind.GLIMMER

    def histograms(part: str, kind: str) -> dict[uuid.UUID | None, Counter[float]]:
        out: dict[uuid.UUID | None, Counter[float]] = defaultdict(Counter)
        for r in by_part[part]:
            if r.kind == kind and r.key is not None:
                out[r.theme][float(r.key)] += r.n
        return out

    def per_theme(part: str, kind: str) -> dict[uuid.UUID | None, Counter[str]]:
        out: dict[uuid.UUID | None, Counter[str]] = defaultdict(Counter)
        for r in by_part[part]:
            if r.kind == kind and r.key is not None:
                out[r.theme][r.key] += r.n
        return out

    def per_theme_lists(part: str, kind: str) -> dict[uuid.UUID | None, Counter[str]]:
        out: dict[uuid.UUID | None, Counter[str]] = defaultdict(Counter)
        for r, codes in lists(by_part[part], kind=kind):
            counter = out[r.theme]
            for code in codes:
                counter[code] += r.n
        return out

    # The drop is intensity minus intensity after, of the moments that have both.
    drop: dict[uuid.UUID | None, Counter[float]] = defaultdict(Counter)
    for r in by_part["intensity"]:
        if r.kind == activation and r.key is not None and r.key2 is not None:
            drop[r.theme][float(r.key) - float(r.key2)] += r.n

    counts: dict[str, Counter[uuid.UUID | None]] = {
        str(k): Counter() for k in (activation, glimmer)
    }
    for r in by_part["intensity"]:
        counts.setdefault(r.kind, Counter())[r.theme] += r.n

    intensity = histograms("intensity", activation)
    settle = histograms("settle", activation)
    states = per_theme_lists("state", activation)
    needs = per_theme_lists("need", activation)
    contexts = per_theme_lists("context", activation)
    regions = per_theme("body", activation)
    people = per_theme("person", activation)

    themes = [
        ThemeRow(
            id=theme,
            name=theme_names.get(theme, _("A theme")) if theme else _("No theme"),
            n=n,
            states=_top(states[theme], state_labels),
            intensity=Summary.of_counts(intensity[theme]),
            drop=Summary.of_counts(drop[theme]),
            settle=Summary.of_counts(settle[theme]),
            regions=_top(regions[theme], region_labels),
            needs=_top(needs[theme], need_labels),
            people=_top(people[theme], person_labels),
            contexts=_top(contexts[theme], context_labels),
        )
        for theme, n in counts[activation].items()
    ]
    # Most activations first; "no theme" last among equals, then by name for a stable order.
    themes.sort(key=lambda t: (-t.n, t.id is None, t.name.casefold()))

    all_states: Counter[str] = Counter()
    for counter in states.values():
        all_states.update(counter)

    def breakdown(part: str, kind: str, labels: dict[str, str]) -> list[Breakdown]:
        hist: dict[str, Counter[float]] = defaultdict(Counter)
        totals: Counter[str] = Counter()
        keyed: list[tuple[str | None, str | None, int]]
        if part == "context_intensity":
            keyed = [
                (code, r.key2, r.n)
                for r, codes in lists(by_part[part], kind=kind)
                for code in codes
            ]
        else:
            keyed = [(r.key, r.key2, r.n) for r in by_part[part] if r.kind == kind]
        for key, key2, n in keyed:
            if key is None:
                continue
            totals[key] += n
            if key2 is not None:
                hist[key][float(key2)] += n
        return [
            Breakdown(code, labels.get(code, code), n, Summary.of_counts(hist[code]))
            for code, n in sorted(totals.items(), key=lambda i: (-i[1], labels.get(i[0], i[0])))
        ]

    def heat(kind: str) -> list[RegionHeat]:
        found = breakdown("body", kind, region_labels)
        return [RegionHeat(b.code, b.label, b.n, b.intensity) for b in found]

    grid = [[0] * 24 for _ in WEEKDAYS]
    for r in by_part["hour"]:
        if r.kind == activation and r.key is not None and r.key2 is not None:
            sunday_first = _int(r.key) or 0
            grid[(sunday_first - 1) % 7][_int(r.key2) or 0] += r.n

    weeks = _weeks(by_part, start=start, end=end, tz=tz)
    texts = helps_module.scan_texts(owner=owner, start=start, end=end, limit=TEXT_SCAN_LIMIT)
    practice_helps = helps_module.practice_helps(owner=owner, start=start, end=end)
    ranked = helps_module.rank(texts.helped + practice_helps)
    by_state = []
    for state in vocabulary.STATES:
        within = [
            h.within(state.code) for h in texts.helped + practice_helps if state.code in h.states
        ]
        ranking = [h for h in helps_module.rank(within) if h.enough]
        if ranking:
            n = sum(h.n for h in ranking)
            by_state.append((Count(state.code, str(state.label), n), ranking[:TOP]))

    return TriggerMap(
        owner_id=owner.pk,
        start=start,
        end=end,
        time_zone=tz.key,
        activations=sum(counts[activation].values()),
        glimmers=sum(counts[glimmer].values()),
        themes=themes,
        body={"activation": heat(activation), "glimmer": heat(glimmer)},
        helps=ranked,
        helps_by_state=by_state,
        time_grid=grid,
        people=breakdown("person", activation, person_labels),
        contexts=breakdown("context_intensity", activation, context_labels),
        weeks=weeks,
        glimmer_map=GlimmerMap(
            n=sum(counts[glimmer].values()),
            cues=texts.glimmer_cues,
            regions=heat(glimmer),
            people=breakdown("person", glimmer, person_labels),
            contexts=breakdown("context_intensity", glimmer, context_labels),
        ),
        urges=texts.urges,
        actions=texts.actions,
        texts_scanned=texts.scanned,
        texts_limited=texts.limited,
        states=_top(all_states, state_labels, limit=None),
    )


def _weeks(
    by_part: dict[str, list[Row]], *, start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo
) -> list[Week]:
    """Weeks counted from the period's first local day (``tallies.weekly`` made the keys)."""
    first = start.astimezone(tz).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    n_weeks = (last - first).days // 7 + 1
    moments: dict[tuple[str, int], int] = Counter()
    intensity: dict[int, Counter[float]] = defaultdict(Counter)
    settle: dict[int, Counter[float]] = defaultdict(Counter)
    states: dict[int, Counter[str]] = defaultdict(Counter)
    for r in by_part["week"]:
        week = _int(r.key) or 0
        moments[(r.kind, week)] += r.n
        if r.kind == Moment.Kind.ACTIVATION and r.key2 is not None:
            intensity[week][float(r.key2)] += r.n
    for r in by_part["week_settle"]:
        if r.kind == Moment.Kind.ACTIVATION and r.key2 is not None:
            settle[_int(r.key) or 0][float(r.key2)] += r.n
    for r, codes in lists(by_part["week_state"], into="key2"):
        counter = states[_int(r.key) or 0]
        for code in codes:
            counter[code] += r.n
    return [
        Week(
            index=i,
            start=first + dt.timedelta(days=7 * i),
            activations=moments.get((Moment.Kind.ACTIVATION, i), 0),
            glimmers=moments.get((Moment.Kind.GLIMMER, i), 0),
            intensity=Summary.of_counts(intensity[i]),
            settle=Summary.of_counts(settle[i]),
            states=dict(sorted(states[i].items())),
        )
        for i in range(n_weeks)
    ]


def weekly_summary(
    *, owner: User, start: dt.datetime, end: dt.datetime, include_stories: bool = False
) -> dict[str, Any]:
    """Counts by kind, states, themes and what helped, for a share; no free text by default.

    Theme names and what-helped labels are the owner's words chosen to be shared with the map;
    stories (cues) are only included when ``include_stories`` is set. It is read by others
    only, so the owner's own practices are unnamed (``TriggerMap.seen_by_others``).
    """
    found = trigger_map(owner=owner, start=start, end=end).seen_by_others()
    summary: dict[str, Any] = {
        "from": found.first_day.isoformat(),
        "to": found.last_day.isoformat(),
        "activations": found.activations,
        "glimmers": found.glimmers,
        "states": [{"code": c.code, "label": c.label, "n": c.n} for c in found.states],
        "themes": [{"name": t.name, "n": t.n} for t in found.themes],
        "helped": [
            {"label": h.label, "n": h.n, "median_drop": h.drop.median if h.enough else None}
            for h in found.helps
        ],
    }
    if include_stories:
        summary["stories"] = stories(owner=owner, start=start, end=end)
    return summary


STORIES_LIMIT = 30


def stories(*, owner: User, start: dt.datetime, end: dt.datetime) -> list[dict[str, str]]:
    """The owner's own cues and stories of the period's most recent activations (for a report)."""
    tz = owner.tz
    moments: Iterable[Moment] = (
        Moment.objects.filter(
            author=owner,
            kind=Moment.Kind.ACTIVATION,
            occurred_at__gte=start,
            occurred_at__lt=end,
            deleted_at__isnull=True,
        )
        .exclude(cue="", story="")
        .select_related("author__data_key")
        .only("id", "author", "cue", "story", "occurred_at")
        .order_by("-occurred_at")[:STORIES_LIMIT]
    )
    return [
        {
            "date": m.occurred_at.astimezone(tz).date().isoformat(),
            "cue": m.cue,
            "story": m.story,
        }
        for m in moments
    ]
