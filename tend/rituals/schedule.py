"""Expanding a ritual's RRULE into occurrences, in the right time zone, across DST.

The rule is evaluated over *local wall-clock* datetimes (naive, as RFC 5545 does for a DTSTART
with a TZID), and each local time is then placed in its zone with zoneinfo:

- a local time that happens twice (autumn) means its first instant (``fold=0``);
- a local time that does not exist (spring) is read with the offset before the gap, which lands
  one hour later in the new offset. Both follow RFC 5545 section 3.3.5, so calendar apps that
  read the feed agree with Tend.

A ritual "together" is evaluated in its owner's zone: one instant for everyone, shown to each in
their own zone. A ritual "at each person's local time" is evaluated in each participant's zone.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]
from django.utils.translation import gettext

from tend.rituals.models import OccurrenceState, Ritual

ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
MAX_OCCURRENCES = 1000


class RuleError(ValueError):
    pass


def parse_rule(text: str, *, dtstart: dt.datetime) -> rrule:
    """Parse an RRULE value (no DTSTART line) or raise RuleError with a plain reason."""
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text or len(text) > 300:
        raise RuleError(gettext("A schedule is one RRULE line, such as FREQ=WEEKLY;BYDAY=SU."))
    parts = dict(part.split("=", 1) for part in text.upper().split(";") if "=" in part)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise RuleError(gettext("A ritual repeats daily, weekly, monthly or yearly."))
    try:
        rule = rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError) as error:
        raise RuleError(gettext("That schedule could not be read.")) from error
    if not isinstance(rule, rrule):
        raise RuleError(gettext("A schedule is one RRULE line."))
    return rule


def local_start(ritual: Ritual) -> dt.datetime:
    """The first occurrence's local wall time (naive)."""
    return dt.datetime.combine(ritual.start_date, ritual.start_time)


def zone_for(ritual: Ritual, participant_tz: str | None = None) -> str:
    if ritual.basis == Ritual.Basis.EACH_LOCAL and participant_tz:
        return participant_tz
    return ritual.time_zone


def place(local: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A naive local wall time as an aware instant (RFC 5545 rules for gaps and folds)."""
    return local.replace(tzinfo=tz, fold=0)


def base_occurrences(
    ritual: Ritual, *, start: dt.datetime, end: dt.datetime, tz_name: str
) -> list[dt.datetime]:
    """Computed starts in [start, end) as aware datetimes in ``tz_name``, before any marks."""
    tz = zoneinfo.ZoneInfo(tz_name)
    rule = parse_rule(ritual.rrule, dtstart=local_start(ritual))
    # Search a day wider in local time, then filter on instants.
    lo = start.astimezone(tz).replace(tzinfo=None) - dt.timedelta(days=1)
    hi = end.astimezone(tz).replace(tzinfo=None) + dt.timedelta(days=1)
    found: list[dt.datetime] = []
    for local in rule.xafter(lo, count=None, inc=True):
        if local > hi or len(found) >= MAX_OCCURRENCES:
            break
        instant = place(local, tz)
        if start <= instant < end:
            found.append(instant)
    return found


@dataclass(frozen=True)
class Occurrence:
    ritual: Ritual
    original: dt.datetime  # aware, as computed
    start: dt.datetime  # aware; differs from original when moved
    state: str  # "" (nothing marked), done, skipped, moved

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.ritual.duration_minutes)

    @property
    def key(self) -> str:
        return self.original.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


# How far from a window an occurrence may have been moved into it from.
MARKS_REACH = dt.timedelta(days=60)


def marks_person(ritual: Ritual, participant_id: uuid.UUID | None) -> uuid.UUID | None:
    """Whose marks apply to a participant: their own at each one's local time, else the shared
    ones (no person)."""
    return participant_id if ritual.basis == Ritual.Basis.EACH_LOCAL else None


def occurrences(
    ritual: Ritual,
    *,
    start: dt.datetime,
    end: dt.datetime,
    participant_tz: str | None = None,
    participant_id: uuid.UUID | None = None,
    include_skipped: bool = False,
    marks: Iterable[OccurrenceState] | None = None,
) -> list[Occurrence]:
    """The ritual's occurrences between ``start`` and ``end`` for one participant.

    Marks apply: skipped ones are left out (unless ``include_skipped``), moved ones carry their
    new start (a move may bring an occurrence into or out of the window). A list passes the
    participant's marks it already loaded (``selectors.marks_for_viewer``); else they are read.
    """
    tz_name = zone_for(ritual, participant_tz)
    if marks is None:
        marks = OccurrenceState.objects.filter(
            ritual=ritual, person_id=marks_person(ritual, participant_id)
        )
    by_start = {m.original_start: m for m in marks}
    base = (
        base_occurrences(
            ritual,
            start=start - MARKS_REACH,
            end=end + MARKS_REACH,
            tz_name=tz_name,
        )
        if by_start
        else base_occurrences(ritual, start=start, end=end, tz_name=tz_name)
    )
    result = []
    for original in base:
        mark = by_start.get(original.astimezone(dt.UTC))
        state = mark.state if mark else ""
        when = mark.moved_to if mark and mark.state == "moved" and mark.moved_to else original
        if state == "skipped" and not include_skipped:
            continue
        if start <= when < end:
            result.append(Occurrence(ritual=ritual, original=original, start=when, state=state))
    result.sort(key=lambda o: o.start)
    return result


def is_occurrence(ritual: Ritual, original: dt.datetime, tz_name: str) -> bool:
    """Whether ``original`` (aware) is one of the ritual's computed starts."""
    found = base_occurrences(
        ritual,
        start=original - dt.timedelta(minutes=1),
        end=original + dt.timedelta(minutes=1),
        tz_name=tz_name,
    )
    return any(o == original for o in found)


def rule_parts(text: str) -> list[tuple[str, str]]:
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    return [
        (name.upper(), value)
        for name, value in (p.split("=", 1) for p in text.split(";") if "=" in p)
    ]


def _until(value: str) -> dt.datetime:
    value = value.rstrip("Z")
    if "T" not in value:
        day = dt.datetime.strptime(value, "%Y%m%d")  # noqa: DTZ007 - local wall time
        return day.replace(hour=23, minute=59, second=59)
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007 - local wall time


def rule_local(text: str, tz_name: str) -> str:
    """Store UNTIL as local wall time (dateutil refuses a UTC UNTIL with a local DTSTART)."""
    parts = []
    for name, value in rule_parts(text):
        if name == "UNTIL" and value.endswith("Z"):
            local = _until(value).replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(tz_name))
            value = local.strftime("%Y%m%dT%H%M%S")
        elif name == "UNTIL" and "T" not in value:
            value = _until(value).strftime("%Y%m%dT%H%M%S")
        parts.append(f"{name}={value}")
    return ";".join(parts)


def rule_for_feed(text: str, tz_name: str) -> str:
    """The rule for a calendar: RFC 5545 wants UNTIL in UTC when DTSTART has a TZID."""
    parts = []
    for name, value in rule_parts(text):
        if name == "UNTIL" and not value.endswith("Z"):
            instant = place(_until(value), zoneinfo.ZoneInfo(tz_name)).astimezone(dt.UTC)
            value = instant.strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{name}={value}")
    return ";".join(parts)
