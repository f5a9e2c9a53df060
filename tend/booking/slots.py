"""The free-slot engine: which starts a practitioner can be booked at. Pure, typed, no I/O.

Times come in and go out as UTC-aware datetimes; working hours are wall-clock times in the
practitioner's IANA zone. A start ``s`` is free when all of these hold:

- **Inside working hours.** Throughout ``[s, s + duration)`` the practitioner's clock reads a time
  inside one working range of the local date of ``s`` (``start <= clock < end``, with the end of
  the slot compared as the reading just before it ends). Ranges of one date that overlap or touch
  are first joined into one.
- **Aligned.** The clock at ``s`` reads ``range start + k * step`` (``k >= 0``).
- **Notice and horizon.** ``now + min_notice <= s <= now + horizon``.
- **No conflict.** ``[s - buffer_before, s + duration + buffer_after)`` overlaps no busy interval
  and no taken booking's ``[start - its buffer_before, end + its buffer_after)``.
- **Daily limit.** Fewer than ``daily_limit`` taken bookings start on the local date of ``s``.

**Clock changes.** The rule is the wall clock itself, so it needs no special case:

- *Gap* (clocks jump forward): a wall time that never happens (02:30 in Berlin on the last Sunday
  of March) is never offered, and the starts after it keep their alignment (03:00, 03:30, ...).
  A slot that starts just before the gap and ends just after it is offered when the clock, on
  leaving the slot, has not passed the range's end: hours 01:00-03:00 give a 30-minute slot at
  01:30, which ends at 03:00 summer time, but no 60-minute one.
- *Fold* (clocks go back): the repeated hour is worked twice, so a start that reads 02:30 is
  offered at both instants (summer time, then standard time) when the whole slot stays inside the
  range; a slot whose clock runs out of the range and back in (02:45 to 02:15 with hours
  02:30-03:00) is not offered.

The engine assumes at most one change of UTC offset within one day (tzdata has no two that close
in modern times).

**Cost.** Busy intervals and taken bookings are filtered to the window, sorted and merged once
(O(n log n) in those that touch the window), and each candidate start is checked with one bisect,
so a month is O(n log n + c log n) for c candidate starts, not O(c * n).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

_TICK = timedelta(microseconds=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Hours:
    """One range of working hours, in the practitioner's wall time: start inclusive, end
    exclusive, on one date (no range runs over midnight)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Working hours are wall-clock times without a time zone.")
        if self.end <= self.start:
            raise ValueError("Working hours must end after they start, on the same day.")


@dataclass(frozen=True)
class Availability:
    zone: ZoneInfo
    weekly: dict[int, tuple[Hours, ...]]  # weekday 0=Monday ... 6=Sunday -> ranges
    overrides: dict[date, tuple[Hours, ...]] = field(default_factory=dict)  # () = a day off

    def ranges_on(self, day: date) -> tuple[Hours, ...]:
        """The day's working ranges, sorted, with overlapping or touching ranges joined."""
        given = self.overrides.get(day)
        if given is None:
            given = self.weekly.get(day.weekday(), ())
        joined: list[Hours] = []
        for hours in sorted(given, key=lambda h: h.start):
            if joined and hours.start <= joined[-1].end:
                if hours.end > joined[-1].end:
                    joined[-1] = Hours(joined[-1].start, hours.end)
            else:
                joined.append(hours)
        return tuple(joined)


@dataclass(frozen=True)
class CallRules:
    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(hours=12)
    horizon: timedelta = timedelta(days=60)
    daily_limit: int | None = None  # bookings per practitioner-local day, any call type
    step: timedelta = timedelta(minutes=30)  # starts are aligned to range start + k*step

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise ValueError("A call must last longer than no time at all.")
        if self.step <= timedelta(0):
            raise ValueError("The slot step must be longer than no time at all.")
        if self.buffer_before < timedelta(0) or self.buffer_after < timedelta(0):
            raise ValueError("Buffers cannot be negative.")


@dataclass(frozen=True)
class Taken:
    """An existing booking (any call type), UTC-aware."""

    start: datetime
    end: datetime
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)


def free_slots(
    *,
    availability: Availability,
    rules: CallRules,
    now: datetime,
    window_start: datetime,
    window_end: datetime,
    taken: Sequence[Taken] = (),
    busy: Sequence[tuple[datetime, datetime]] = (),
) -> list[datetime]:
    """UTC-aware free starts within ``[window_start, window_end)``, sorted (rules above)."""
    _require_aware(now=now, window_start=window_start, window_end=window_end)
    # Notice and horizon narrow the window first, so a long window costs no more than they allow.
    first = max(window_start, now + rules.min_notice)
    last = min(window_end, now + rules.horizon + _TICK)  # the horizon itself is bookable
    if first >= last:
        return []
    if rules.daily_limit is not None and rules.daily_limit <= 0:
        return []
    zone = availability.zone
    starts, ends = _blocked(
        taken=taken,
        busy=busy,
        since=first - rules.buffer_before,
        until=last + rules.duration + rules.buffer_after,
    )
    full = _full_days(taken, zone, first, last, rules.daily_limit)
    found: list[datetime] = []
    day = first.astimezone(zone).date() - _DAY
    final_day = last.astimezone(zone).date() + _DAY
    while day <= final_day:
        if day not in full:
            for start in _aligned_starts(availability, rules, day):
                if not first <= start < last:
                    continue
                reach_from = start - rules.buffer_before
                reach_to = start + rules.duration + rules.buffer_after
                # The first blocked interval that ends after reach_from is the only one that
                # can overlap it, because the merged intervals are disjoint and sorted.
                i = bisect.bisect_right(ends, reach_from)
                if i < len(starts) and starts[i] < reach_to:
                    continue
                found.append(start)
        day += _DAY
    found.sort()
    return found


def slot_is_free(
    *,
    start: datetime,
    availability: Availability,
    rules: CallRules,
    now: datetime,
    taken: Sequence[Taken] = (),
    busy: Sequence[tuple[datetime, datetime]] = (),
) -> bool:
    """The same rules for one start: what booking checks inside its transaction."""
    _require_aware(start=start)
    # One code path for the list and the check, so a listed slot is exactly a bookable one.
    return start in free_slots(
        availability=availability,
        rules=rules,
        now=now,
        window_start=start,
        window_end=start + _TICK,
        taken=taken,
        busy=busy,
    )


def nearest_free(*, start: datetime, slots: Sequence[datetime], count: int = 3) -> list[datetime]:
    """The ``count`` free starts nearest to ``start`` (earlier wins a tie), in time order, for
    "that time was just taken"."""
    ordered = sorted(slots)
    right = bisect.bisect_left(ordered, start)
    left = right - 1
    chosen: list[datetime] = []
    while len(chosen) < count and (left >= 0 or right < len(ordered)):
        if right >= len(ordered) or (left >= 0 and start - ordered[left] <= ordered[right] - start):
            chosen.append(ordered[left])
            left -= 1
        else:
            chosen.append(ordered[right])
            right += 1
    chosen.sort()
    return chosen


def _require_aware(**moments: datetime) -> None:
    for name, moment in moments.items():
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware.")


def _blocked(
    *,
    taken: Sequence[Taken],
    busy: Sequence[tuple[datetime, datetime]],
    since: datetime,
    until: datetime,
) -> tuple[list[datetime], list[datetime]]:
    """Busy times and taken bookings (with their buffers) that touch [since, until), sorted and
    merged into disjoint intervals, as two parallel lists (starts, ends) for bisect."""
    spans: list[tuple[datetime, datetime]] = [
        (begin, end) for begin, end in busy if begin < end and end > since and begin < until
    ]
    for booking in taken:
        begin = booking.start - booking.buffer_before
        end = booking.end + booking.buffer_after
        if begin < end and end > since and begin < until:
            spans.append((begin, end))
    # By start only: comparing whole pairs costs twice as much, and the order of equal starts
    # does not matter to the merge.
    spans.sort(key=itemgetter(0))
    starts: list[datetime] = []
    ends: list[datetime] = []
    for begin, end in spans:
        if ends and begin <= ends[-1]:
            if end > ends[-1]:
                ends[-1] = end
        else:
            starts.append(begin)
            ends.append(end)
    return starts, ends


def _full_days(
    taken: Sequence[Taken],
    zone: ZoneInfo,
    first: datetime,
    last: datetime,
    daily_limit: int | None,
) -> set[date]:
    """Local dates that already hold daily_limit bookings (only dates near the window)."""
    if daily_limit is None:
        return set()
    # Two days either side covers every offset (at most 26 hours) without converting the years
    # of bookings that lie outside the window.
    near_from, near_to = first - 2 * _DAY, last + 2 * _DAY
    counts: dict[date, int] = {}
    for booking in taken:
        if near_from <= booking.start <= near_to:
            day = booking.start.astimezone(zone).date()
            counts[day] = counts.get(day, 0) + 1
    return {day for day, n in counts.items() if n >= daily_limit}


def _aligned_starts(availability: Availability, rules: CallRules, day: date) -> Iterator[datetime]:
    """Every UTC start on `day` that is aligned and whose whole slot lies inside one range."""
    zone = availability.zone
    for hours in availability.ranges_on(day):
        opens = datetime.combine(day, hours.start)
        closes = datetime.combine(day, hours.end)
        offsets = {
            moment.replace(tzinfo=zone, fold=fold).utcoffset()
            for moment in (opens, closes)
            for fold in (0, 1)
        }
        if len(offsets) == 1:
            # The usual day: one offset from opening to closing, so the clock runs with real
            # time and the starts are plain arithmetic.
            offset = offsets.pop()
            assert offset is not None  # a ZoneInfo always has one
            if closes - opens >= rules.duration:
                first = (opens - offset).replace(tzinfo=UTC)
                for k in range((closes - opens - rules.duration) // rules.step + 1):
                    yield first + k * rules.step
            continue
        wall = opens
        while wall < closes:
            for start in _instants(wall, zone):
                if _inside(start, start + rules.duration, opens, closes, zone):
                    yield start
            wall += rules.step


def _instants(wall: datetime, zone: ZoneInfo) -> list[datetime]:
    """The UTC instants at which the clock in `zone` reads `wall`: none in a gap, two in a fold."""
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        # A reading that maps back to itself exists; in a gap neither fold does.
        if instant.astimezone(zone).replace(tzinfo=None) == wall and instant not in found:
            found.append(instant)
    return found


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always has one
    return offset


def _inside(
    start: datetime,
    end: datetime,
    opens: datetime,
    closes: datetime,
    zone: ZoneInfo,
) -> bool:
    """Whether the clock reads within [opens, closes) throughout [start, end), given that it
    reads at least `opens` at `start`."""
    naive_end = end.replace(tzinfo=None)
    before = _offset(start, zone)
    after = _offset(end - _TICK, zone)
    if before == after:
        return naive_end + before <= closes
    # One change of offset inside the slot: find the instant it happens, then check the
    # reading just before it, right after it and just before the slot ends.
    low, high = start, end - _TICK  # offset(low) == before, offset(high) == after
    while high - low > _TICK:
        middle = low + (high - low) / 2
        if _offset(middle, zone) == before:
            low = middle
        else:
            high = middle
    change = high.replace(tzinfo=None)
    return change + before <= closes and change + after >= opens and naive_end + after <= closes
