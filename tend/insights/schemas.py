"""The trigger map as JSON: the shape ``GET /api/v1/insights/map`` documents and returns."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from tend.api.schemas import DictOut
from tend.insights.maps import Breakdown, Count, Help, RegionHeat, TriggerMap
from tend.insights.stats import Summary


class SummaryOut(DictOut):
    n: int = Field(description="How many values the figures rest on.")
    median: float | None = Field(description="Null when n is 0.")
    q1: float | None = Field(description="Lower quartile (25%).")
    q3: float | None = Field(description="Upper quartile (75%).")
    enough: bool = Field(description="False below 5 values: too few to tell.")


class CountOut(DictOut):
    code: str = Field(description="A vocabulary code, a person's id, or a grouped phrase.")
    label: str
    n: int


class BreakdownOut(DictOut):
    code: str
    label: str
    n: int
    intensity: SummaryOut


class MapThemeOut(DictOut):
    id: uuid.UUID | None = Field(description="Null for activations filed under no theme.")
    name: str
    n: int = Field(description="Activations in the period.")
    states: list[CountOut]
    intensity: SummaryOut
    drop: SummaryOut = Field(description="intensity minus intensity_after (larger: calmer).")
    settle: SummaryOut = Field(description="Minutes to settle.")
    regions: list[CountOut]
    needs: list[CountOut]
    people: list[CountOut]
    contexts: list[CountOut]


class HelpOut(DictOut):
    label: str
    source: str = Field(description="journal (your words of what helped) or practice.")
    n: int
    drop: SummaryOut
    interval: list[float] | None = Field(
        description="95% bootstrap interval of the median drop; null when too few to tell."
    )


class StateHelpsOut(DictOut):
    state: str
    label: str
    helps: list[HelpOut]


class WeekOut(DictOut):
    start: dt.date = Field(
        description="First day of the week (weeks count from the period's start)."
    )
    activations: int
    glimmers: int
    intensity: SummaryOut
    settle: SummaryOut
    states: dict[str, int]


class GlimmersOut(DictOut):
    n: int
    cues: list[CountOut] = Field(description="Glimmer cues grouped case-insensitively.")
    regions: list[BreakdownOut]
    people: list[BreakdownOut]
    contexts: list[BreakdownOut]


class MapOut(DictOut):
    start: dt.date = Field(alias="from", description="First day, in the person's time zone.")
    end: dt.date = Field(alias="to", description="Last day (inclusive).")
    time_zone: str
    activations: int
    glimmers: int
    enough: bool = Field(description="False below 5 activations: patterns are too few to tell.")
    min_n: int = Field(description="The threshold below which a figure is 'too few to tell'.")
    themes: list[MapThemeOut]
    states: list[CountOut]
    body: dict[str, list[BreakdownOut]] = Field(description="activation and glimmer: per region.")
    helps: list[HelpOut] = Field(description="Ranked: enough data first, by median drop.")
    helps_by_state: list[StateHelpsOut]
    time_grid: list[list[int]] = Field(
        description="Activations per weekday (Monday first) and hour (0-23), in time_zone."
    )
    people: list[BreakdownOut]
    contexts: list[BreakdownOut]
    weeks: list[WeekOut]
    glimmer_map: GlimmersOut
    urges: list[CountOut]
    actions: list[CountOut]
    texts_scanned: int = Field(description="Moments whose words were read for the ranking.")
    texts_limited: bool = Field(description="True when older moments' words were not read.")

    model_config = {"populate_by_name": True}


def _summary(s: Summary) -> dict[str, object]:
    return {"n": s.n, "median": s.median, "q1": s.q1, "q3": s.q3, "enough": s.enough}


def _count(c: Count) -> dict[str, object]:
    return {"code": c.code, "label": c.label, "n": c.n}


def _breakdown(b: Breakdown | RegionHeat) -> dict[str, object]:
    return {"code": b.code, "label": b.label, "n": b.n, "intensity": _summary(b.intensity)}


def _help(h: Help) -> dict[str, object]:
    interval = h.interval if h.enough else None
    return {
        "label": h.label,
        "source": h.source,
        "n": h.n,
        "drop": _summary(h.drop),
        "interval": list(interval) if interval else None,
    }


def map_out(found: TriggerMap) -> dict[str, object]:
    from tend.insights.stats import MIN_N

    return {
        "from": found.first_day,
        "to": found.last_day,
        "time_zone": found.time_zone,
        "activations": found.activations,
        "glimmers": found.glimmers,
        "enough": found.enough,
        "min_n": MIN_N,
        "themes": [
            {
                "id": t.id,
                "name": t.name,
                "n": t.n,
                "states": [_count(c) for c in t.states],
                "intensity": _summary(t.intensity),
                "drop": _summary(t.drop),
                "settle": _summary(t.settle),
                "regions": [_count(c) for c in t.regions],
                "needs": [_count(c) for c in t.needs],
                "people": [_count(c) for c in t.people],
                "contexts": [_count(c) for c in t.contexts],
            }
            for t in found.themes
        ],
        "states": [_count(c) for c in found.states],
        "body": {kind: [_breakdown(r) for r in rows] for kind, rows in found.body.items()},
        "helps": [_help(h) for h in found.helps],
        "helps_by_state": [
            {"state": state.code, "label": state.label, "helps": [_help(h) for h in ranking]}
            for state, ranking in found.helps_by_state
        ],
        "time_grid": found.time_grid,
        "people": [_breakdown(b) for b in found.people],
        "contexts": [_breakdown(b) for b in found.contexts],
        "weeks": [
            {
                "start": w.start,
                "activations": w.activations,
                "glimmers": w.glimmers,
                "intensity": _summary(w.intensity),
                "settle": _summary(w.settle),
                "states": w.states,
            }
            for w in found.weeks
        ],
        "glimmer_map": {
            "n": found.glimmer_map.n,
            "cues": [_count(c) for c in found.glimmer_map.cues],
            "regions": [_breakdown(r) for r in found.glimmer_map.regions],
            "people": [_breakdown(b) for b in found.glimmer_map.people],
            "contexts": [_breakdown(b) for b in found.glimmer_map.contexts],
        },
        "urges": [_count(c) for c in found.urges],
        "actions": [_count(c) for c in found.actions],
        "texts_scanned": found.texts_scanned,
        "texts_limited": found.texts_limited,
    }
