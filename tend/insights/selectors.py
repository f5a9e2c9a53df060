"""Reads for the insights: the trigger map and the weekly summary, of one owner's own data.

``trigger_map`` counts in the database (``queries.py``; whole months' counts kept by
``tallies.py``), keeps what it built until its data changes (``kept.py``), and decrypts only
what it must show: theme names, people labels, the person's own need and context labels, and
— bounded to the most recent ``TEXT_SCAN_LIMIT`` moments of the period — the words of "what
helped", urges, actions and glimmer cues, which are grouped case-insensitively after decryption.
The map's classes are in ``maps.py``.

The caller must already have decided that the viewer may see the owner's map (the owner
themselves, or connections after their share check): these functions take an owner, not a viewer.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tend.insights import helps as helps_module
from tend.insights import tallies
from tend.insights.kept import kept_or_built
from tend.insights.maps import (
    Breakdown,
    Count,
    GlimmerMap,
    Help,
    RegionHeat,
    ThemeRow,
    TriggerMap,
    Week,
)
from tend.insights.queries import Row, lists
from tend.insights.stats import Summary
from tend.journal import vocabulary
from tend.journal.models import Moment, Theme
from tend.journal.people_models import Person
from tend.journal.selectors import own_labels

if TYPE_CHECKING:
    from tend.accounts.models import User

# The words of at most this many recent moments are decrypted for one map.
TEXT_SCAN_LIMIT = 1_000
TOP = 3
WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)  # Sunday first, as the databases count.
ACTIVATION = Moment.Kind.ACTIVATION
GLIMMER = Moment.Kind.GLIMMER


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


def count_map(*, owner: User, start: dt.datetime, end: dt.datetime) -> TriggerMap:
    """The owner's trigger map for ``[start, end)``, counted now (``trigger_map`` keeps it).

    Whole months come from their kept counts (``tallies.counted``).
    """
    rows = tallies.counted(owner_id=owner.pk, start=start, end=end, tz=owner.tz)
    return map_of_counts(owner=owner, start=start, end=end, rows=rows)


@dataclass
class _Counts:
    """The counts of one map (``queries.Row``) by part, with the labels their codes are shown by."""

    by_part: dict[str, list[Row]]
    needs: dict[str, str]
    contexts: dict[str, str]
    states: dict[str, str]
    regions: dict[str, str]
    themes: dict[uuid.UUID, str]
    people: dict[str, str]

    @classmethod
    def of(cls, rows: Iterable[Row], *, owner: User) -> _Counts:
        by_part: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_part[row.part].append(row)
        theme_ids = {r.theme for r in by_part["intensity"] if r.theme is not None}
        person_ids = {uuid.UUID(r.key) for r in by_part["person"] if r.key}
        # The database may give a uuid's text with or without dashes; key people by the dashed
        # form.
        by_part["person"] = [
            r._replace(key=str(uuid.UUID(r.key))) if r.key else r for r in by_part["person"]
        ]
        own = own_labels(owner=owner)
        return cls(
            by_part=by_part,
            needs=_labels("needs", own),
            contexts=_labels("contexts", own),
            states=_labels("states", {}),
            regions=_labels("regions", {}),
            themes={
                t.id: t.name
                for t in Theme.objects.filter(owner=owner, id__in=theme_ids).select_related(
                    "owner__data_key"
                )
            },
            people={
                str(p.id): p.label
                for p in Person.objects.filter(owner=owner, id__in=person_ids).select_related(
                    "owner__data_key"
                )
            },
        )

    def histograms(self, part: str, kind: str) -> dict[uuid.UUID | None, Counter[float]]:
        out: dict[uuid.UUID | None, Counter[float]] = defaultdict(Counter)
        for r in self.by_part[part]:
            if r.kind == kind and r.key is not None:
                out[r.theme][float(r.key)] += r.n
        return out

    def per_theme(self, part: str, kind: str) -> dict[uuid.UUID | None, Counter[str]]:
        out: dict[uuid.UUID | None, Counter[str]] = defaultdict(Counter)
        for r in self.by_part[part]:
            if r.kind == kind and r.key is not None:
                out[r.theme][r.key] += r.n
        return out

    def per_theme_lists(self, part: str, kind: str) -> dict[uuid.UUID | None, Counter[str]]:
        out: dict[uuid.UUID | None, Counter[str]] = defaultdict(Counter)
        for r, codes in lists(self.by_part[part], kind=kind):
            counter = out[r.theme]
            for code in codes:
                counter[code] += r.n
        return out

    def by_kind(self) -> dict[str, Counter[uuid.UUID | None]]:
        """Moments of each kind, by theme."""
        counts: dict[str, Counter[uuid.UUID | None]] = {
            str(k): Counter() for k in (ACTIVATION, GLIMMER)
        }
        for r in self.by_part["intensity"]:
            counts.setdefault(r.kind, Counter())[r.theme] += r.n
        return counts


def map_of_counts(
    *, owner: User, start: dt.datetime, end: dt.datetime, rows: Iterable[Row]
) -> TriggerMap:
    """The owner's trigger map for ``[start, end)`` from its counts, a section at a time."""
    counts = _Counts.of(rows, owner=owner)
    by_kind = counts.by_kind()
    states = counts.per_theme_lists("state", ACTIVATION)
    all_states: Counter[str] = Counter()
    for counter in states.values():
        all_states.update(counter)
    texts = helps_module.scan_texts(owner=owner, start=start, end=end, limit=TEXT_SCAN_LIMIT)
    helps = texts.helped + helps_module.practice_helps(owner=owner, start=start, end=end)
    return TriggerMap(
        owner_id=owner.pk,
        start=start,
        end=end,
        time_zone=owner.tz.key,
        activations=sum(by_kind[ACTIVATION].values()),
        glimmers=sum(by_kind[GLIMMER].values()),
        themes=_themes(counts, by_kind[ACTIVATION], states),
        body={"activation": _heat(counts, ACTIVATION), "glimmer": _heat(counts, GLIMMER)},
        helps=helps_module.rank(helps),
        helps_by_state=_helps_by_state(helps),
        time_grid=_time_grid(counts),
        people=_breakdown(counts, "person", ACTIVATION, counts.people),
        contexts=_breakdown(counts, "context_intensity", ACTIVATION, counts.contexts),
        weeks=_weeks(counts.by_part, start=start, end=end, tz=owner.tz),
        glimmer_map=GlimmerMap(
            n=sum(by_kind[GLIMMER].values()),
            cues=texts.glimmer_cues,
            regions=_heat(counts, GLIMMER),
            people=_breakdown(counts, "person", GLIMMER, counts.people),
            contexts=_breakdown(counts, "context_intensity", GLIMMER, counts.contexts),
        ),
        urges=texts.urges,
        actions=texts.actions,
        texts_scanned=texts.scanned,
        texts_limited=texts.limited,
        states=_top(all_states, counts.states, limit=None),
    )


def _themes(
    counts: _Counts,
    activations: Counter[uuid.UUID | None],
    states: dict[uuid.UUID | None, Counter[str]],
) -> list[ThemeRow]:
    """A row a theme (and one for no theme): activations, states, intensity, drop, settling..."""
    # The drop is intensity minus intensity after, of the moments that have both.
    drop: dict[uuid.UUID | None, Counter[float]] = defaultdict(Counter)
    for r in counts.by_part["intensity"]:
        if r.kind == ACTIVATION and r.key is not None and r.key2 is not None:
            drop[r.theme][float(r.key) - float(r.key2)] += r.n
    intensity = counts.histograms("intensity", ACTIVATION)
    settle = counts.histograms("settle", ACTIVATION)
    needs = counts.per_theme_lists("need", ACTIVATION)
    contexts = counts.per_theme_lists("context", ACTIVATION)
    regions = counts.per_theme("body", ACTIVATION)
    people = counts.per_theme("person", ACTIVATION)
    themes = [
        ThemeRow(
            id=theme,
            name=counts.themes.get(theme, _("A theme")) if theme else _("No theme"),
            n=n,
            states=_top(states[theme], counts.states),
            intensity=Summary.of_counts(intensity[theme]),
            drop=Summary.of_counts(drop[theme]),
            settle=Summary.of_counts(settle[theme]),
            regions=_top(regions[theme], counts.regions),
            needs=_top(needs[theme], counts.needs),
            people=_top(people[theme], counts.people),
            contexts=_top(contexts[theme], counts.contexts),
        )
        for theme, n in activations.items()
    ]
    # Most activations first; "no theme" last among equals, then by name for a stable order.
    themes.sort(key=lambda t: (-t.n, t.id is None, t.name.casefold()))
    return themes


def _breakdown(counts: _Counts, part: str, kind: str, labels: dict[str, str]) -> list[Breakdown]:
    """Moments of ``kind`` by the codes of ``part``, each with its intensity, most first."""
    hist: dict[str, Counter[float]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    keyed: list[tuple[str | None, str | None, int]]
    if part == "context_intensity":
        keyed = [
            (code, r.key2, r.n)
            for r, codes in lists(counts.by_part[part], kind=kind)
            for code in codes
        ]
    else:
        keyed = [(r.key, r.key2, r.n) for r in counts.by_part[part] if r.kind == kind]
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


def _heat(counts: _Counts, kind: str) -> list[RegionHeat]:
    found = _breakdown(counts, "body", kind, counts.regions)
    return [RegionHeat(b.code, b.label, b.n, b.intensity) for b in found]


def _time_grid(counts: _Counts) -> list[list[int]]:
    """Activations by weekday (Monday first) and hour."""
    grid = [[0] * 24 for _ in WEEKDAYS]
    for r in counts.by_part["hour"]:
        if r.kind == ACTIVATION and r.key is not None and r.key2 is not None:
            sunday_first = _int(r.key) or 0
            grid[(sunday_first - 1) % 7][_int(r.key2) or 0] += r.n
    return grid


def _helps_by_state(helps: list[Help]) -> list[tuple[Count, list[Help]]]:
    """For each state, what helped in it, when enough is known."""
    by_state = []
    for state in vocabulary.STATES:
        within = [h.within(state.code) for h in helps if state.code in h.states]
        ranking = [h for h in helps_module.rank(within) if h.enough]
        if ranking:
            n = sum(h.n for h in ranking)
            by_state.append((Count(state.code, str(state.label), n), ranking[:TOP]))
    return by_state


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
