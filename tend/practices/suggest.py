"""Which practices to offer someone who is activated right now, and why.

A person's own history comes first: for the state they chose, each practice they rated at least
``MIN_TRIES`` times is ranked by its median drop in intensity (before minus after). The median,
not the mean, so that one unusually good or bad evening does not decide. Practices that did not
lower the intensity for them (median drop of 0 or less over enough tries) are not offered again
here. When there is too little data, the catalogue's own "suits this state" fills the places,
preferring a breath practice first and then variety across kinds.

The numbers shown beside a suggestion are exactly the ones used: the median and how many times
it was tried, so a person can see how much (or how little) the ranking knows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tend.practices import catalogue
from tend.practices.selectors import as_practice, custom_practices_of

if TYPE_CHECKING:
    from tend.accounts.models import User

MIN_TRIES = 2
LIMIT = 3
# Only the most recent sessions count: what helps can change, and the query stays bounded.
RECENT = 500
# In the moment of activation, a calm conversation or a reflection is for later.
IN_THE_MOMENT = ("breath", "grounding", "touch", "movement", "coregulation")
WHEN_UNSURE = ("physiological_sigh", "long_exhale", "feet_on_floor", "hand_on_chest")


@dataclass(frozen=True)
class Suggestion:
    practice: catalogue.Practice
    tries: int
    median_drop: float | None
    # True when this person's own history put it here; False for "suits this state".
    from_history: bool

    @property
    def drop_text(self) -> str:
        if self.median_drop is None:
            return ""
        value = self.median_drop
        return str(int(value)) if value == int(value) else f"{value:.1f}"


def history(*, viewer: User, state: str = "") -> dict[str, list[int]]:
    """Drops in intensity per practice key (code, or "custom:<id>") for the viewer."""
    from tend.practices.models import PracticeSession

    rows = PracticeSession.objects.filter(
        author=viewer, intensity_before__isnull=False, intensity_after__isnull=False
    )
    if state:
        rows = rows.filter(state=state)
    drops: dict[str, list[int]] = defaultdict(list)
    for code, custom_id, before, after in rows.order_by("-started_at").values_list(
        "practice_code", "custom_practice_id", "intensity_before", "intensity_after"
    )[:RECENT]:
        key = f"{catalogue.CUSTOM}:{custom_id}" if custom_id else code
        if before is not None and after is not None:
            drops[key].append(before - after)
    return drops


def suggestions_for(*, viewer: User, state: str = "", limit: int = LIMIT) -> list[Suggestion]:
    drops = history(viewer=viewer, state=state)
    customs = {f"{catalogue.CUSTOM}:{c.id}": c for c in custom_practices_of(viewer=viewer)}

    def practice_of(key: str) -> catalogue.Practice | None:
        if key in customs:
            return as_practice(customs[key])
        return catalogue.get(key)

    def suggestion(practice: catalogue.Practice, *, from_history: bool) -> Suggestion:
        tried = drops.get(practice.key, [])
        median = float(statistics.median(tried)) if tried else None
        return Suggestion(practice, len(tried), median, from_history)

    ranked: list[tuple[float, int, str]] = []
    unhelpful: set[str] = set()
    for key, values in drops.items():
        if len(values) < MIN_TRIES:
            continue
        median = float(statistics.median(values))
        if median <= 0:
            unhelpful.add(key)
        else:
            ranked.append((median, len(values), key))
    ranked.sort(key=lambda item: (-item[0], -item[1], item[2]))

    chosen: list[Suggestion] = []
    for _median, _n, key in ranked:
        found = practice_of(key)
        if found is not None and found.code != "breathe_together":
            chosen.append(suggestion(found, from_history=True))
        if len(chosen) == limit:
            return chosen

    taken = {s.practice.key for s in chosen} | unhelpful
    for practice in _fallback(state):
        if len(chosen) == limit:
            break
        if practice.key in taken:
            continue
        chosen.append(suggestion(practice, from_history=False))
        taken.add(practice.key)
    return chosen


def _fallback(state: str) -> list[catalogue.Practice]:
    """Practices that suit the state: a breath practice first, then one of each other kind."""
    if not state:
        return [p for code in WHEN_UNSURE if (p := catalogue.get(code)) is not None]
    kinds = IN_THE_MOMENT if state != "connected" else tuple(code for code, _ in catalogue.KINDS)
    suiting = [
        p for p in catalogue.suiting(state) if p.kind in kinds and p.code != "breathe_together"
    ]
    # Round-robin over kinds in their catalogue order, so three suggestions are three ways in.
    by_kind: dict[str, list[catalogue.Practice]] = defaultdict(list)
    for practice in suiting:
        by_kind[practice.kind].append(practice)
    ordered: list[catalogue.Practice] = []
    while any(by_kind.values()):
        for kind in kinds:
            if by_kind.get(kind):
                ordered.append(by_kind[kind].pop(0))
    return ordered
