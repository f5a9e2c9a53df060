"""The free-slot engine's properties across clock changes, against a brute-force reference.

The reference knows nothing of the engine's method: it tries every start on a five-minute grid,
reads the practitioner's clock every five minutes through the slot, and scans every busy time
and booking. Everything the strategies draw (hours, steps, durations, offsets of the zones) lies
on that grid, so the grid holds every start that can be valid. The examples are in
test_slots.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tend.booking.slots import (
    Availability,
    CallRules,
    Hours,
    Taken,
    free_slots,
    slot_is_free,
)
from tend.booking.tests.test_slots import GRID, MINUTES

# Years in which each zone changed its clocks: Sao Paulo last did in 2018 (at midnight),
# Kathmandu once, in 1986, from +05:30 to +05:45 (a quarter-hour gap at midnight).
ZONE_YEARS = {
    "Europe/Berlin": (2026, 2027),
    "America/New_York": (2026, 2027),
    "Australia/Lord_Howe": (2026, 2027),
    "Pacific/Chatham": (2026, 2027),
    "America/Sao_Paulo": (2017, 2018),
    "Asia/Kathmandu": (1985, 1986),
}


@cache
def clock_changes(name: str) -> tuple[datetime, ...]:
    """The instants at which `name` changed its UTC offset in its years, to the minute."""
    zone = ZoneInfo(name)
    first, last = ZONE_YEARS[name]

    def offset(minute: int) -> timedelta | None:
        return (datetime(1970, 1, 1, tzinfo=UTC) + minute * MINUTES).astimezone(zone).utcoffset()

    begin = int((datetime(first, 1, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)) / MINUTES)
    end = int((datetime(last + 1, 1, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)) / MINUTES)
    found: list[datetime] = []
    for probe in range(begin - 720, end, 360):
        if offset(probe) != offset(probe + 360):
            low, high = probe, probe + 360
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == offset(probe) else (low, middle)
            found.append(datetime(1970, 1, 1, tzinfo=UTC) + high * MINUTES)
    assert found, name
    return tuple(found)


@dataclass(frozen=True)
class Scene:
    availability: Availability
    rules: CallRules
    now: datetime
    window_start: datetime
    window_end: datetime
    taken: tuple[Taken, ...]
    busy: tuple[tuple[datetime, datetime], ...]

    def slots(self) -> list[datetime]:
        return free_slots(
            availability=self.availability,
            rules=self.rules,
            now=self.now,
            window_start=self.window_start,
            window_end=self.window_end,
            taken=self.taken,
            busy=self.busy,
        )


def grid(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda n: n * GRID)


def day_ranges() -> st.SearchStrategy[tuple[Hours, ...]]:
    def one(pair: tuple[int, int]) -> Hours:
        start, length = pair
        end = min(start + length, 287)  # 23:55 at the latest
        return Hours(time(start * 5 // 60, start * 5 % 60), time(end * 5 // 60, end * 5 % 60))

    ranges = st.tuples(st.integers(0, 286), st.integers(1, 120)).map(one)
    # A whole day now and then, so that calls often meet the night's clock change.
    whole_day = st.just((Hours(time(0), time(23, 55)),))
    return whole_day | st.lists(ranges, max_size=3).map(tuple)


@st.composite
def scenes(draw: st.DrawFn) -> Scene:
    name = draw(st.sampled_from(sorted(ZONE_YEARS)))
    zone = ZoneInfo(name)
    change = draw(st.sampled_from(clock_changes(name)))
    # Around a clock change most of the time; anywhere in its years otherwise.
    anchor = change if draw(st.integers(0, 4)) else change + draw(grid(-30_000, 30_000))
    window_start = anchor + draw(grid(-432, 144))
    window_start -= (window_start - datetime(1970, 1, 1, tzinfo=UTC)) % GRID
    window_end = window_start + draw(grid(1, 576))
    first_day = window_start.astimezone(zone).date() - timedelta(days=1)
    override_days = st.integers(0, 3).map(lambda n: first_day + timedelta(days=n))
    availability = Availability(
        zone=zone,
        weekly={day: draw(day_ranges()) for day in range(7)},
        overrides=draw(st.dictionaries(override_days, day_ranges(), max_size=2)),
    )
    rules = CallRules(
        duration=draw(grid(1, 36)),
        buffer_before=draw(grid(0, 6)),
        buffer_after=draw(grid(0, 6)),
        min_notice=draw(grid(0, 144)),
        horizon=draw(grid(0, 1152) | st.just(timedelta(days=60))),
        daily_limit=draw(st.none() | st.integers(0, 3)),
        step=draw(grid(1, 12)),
    )
    busy = tuple(
        (start, start + length)
        for start, length in draw(
            st.lists(st.tuples(grid(-100, 600).map(window_start.__add__), grid(1, 24)), max_size=6)
        )
    )
    taken = tuple(
        Taken(start=start, end=start + length, buffer_before=before, buffer_after=after)
        for start, length, before, after in draw(
            st.lists(
                st.tuples(
                    grid(-300, 600).map(window_start.__add__), grid(1, 24), grid(0, 6), grid(0, 6)
                ),
                max_size=6,
            )
        )
    )
    now = window_start - draw(grid(0, 288) | grid(-144, 576))
    return Scene(availability, rules, now, window_start, window_end, taken, busy)


def working_runs(availability: Availability, day: date) -> list[tuple[int, int]]:
    """The day's working time as runs of five-minute cells [first, last), from a cell map, so
    that ranges which overlap or touch become one run."""
    ranges = availability.overrides.get(day, availability.weekly.get(day.weekday(), ()))
    cells = [False] * 288
    for r in ranges:
        for cell in range(
            (r.start.hour * 60 + r.start.minute) // 5, (r.end.hour * 60 + r.end.minute) // 5
        ):
            cells[cell] = True
    runs: list[tuple[int, int]] = []
    for cell, on in enumerate(cells):
        if on and (cell == 0 or not cells[cell - 1]):
            runs.append((cell, cell + 1))
        elif on:
            runs[-1] = (runs[-1][0], cell + 1)
    return runs


def why_not(scene: Scene, start: datetime) -> str | None:
    """The first rule `start` breaks, by brute force, or None if it keeps them all."""
    rules, zone = scene.rules, scene.availability.zone
    if not scene.window_start <= start < scene.window_end:
        return "outside the window"
    if start < scene.now + rules.min_notice:
        return "sooner than the notice"
    if start > scene.now + rules.horizon:
        return "beyond the horizon"
    reach = (start - rules.buffer_before, start + rules.duration + rules.buffer_after)
    for begin, end in scene.busy:
        if reach[0] < end and begin < reach[1]:
            return "over a busy time"
    for t in scene.taken:
        if reach[0] < t.end + t.buffer_after and t.start - t.buffer_before < reach[1]:
            return "over a booking"
    wall = start.astimezone(zone).replace(tzinfo=None)
    day = wall.date()
    same_day = sum(t.start.astimezone(zone).date() == day for t in scene.taken)
    if rules.daily_limit is not None and same_day >= rules.daily_limit:
        return "the day is full"
    midnight = datetime.combine(day, time())
    cell = (wall - midnight) / GRID
    run = next((r for r in working_runs(scene.availability, day) if r[0] <= cell < r[1]), None)
    if run is None:
        return "outside working hours"
    if (wall - (midnight + run[0] * GRID)) % rules.step:
        return "not aligned to the step"
    # Read the clock every five minutes through the call: each reading and the five minutes
    # after it must lie in the same run (clocks change only on the five-minute grid here).
    moment = start
    while moment < start + rules.duration:
        reading = moment.astimezone(zone).replace(tzinfo=None)
        if not midnight + run[0] * GRID <= reading <= midnight + run[1] * GRID - GRID:
            return "runs out of working hours"
        moment += GRID
    return None


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(scenes())
def test_every_free_slot_keeps_every_rule_across_clock_changes(scene: Scene) -> None:
    slots = scene.slots()
    assert slots == sorted(set(slots))
    for start in slots:
        assert start.utcoffset() == timedelta(0)
        reason = why_not(scene, start)
        assert reason is None, (start.astimezone(scene.availability.zone), reason)


@PROPERTY
@given(scenes(), st.lists(st.integers(0, 575), max_size=5))
def test_every_start_that_keeps_the_rules_is_offered(scene: Scene, probes: list[int]) -> None:
    offered = set(scene.slots())
    candidates = []
    moment = scene.window_start
    while moment < scene.window_end:
        candidates.append(moment)
        moment += GRID
    missing = [
        s.astimezone(scene.availability.zone)
        for s in candidates
        if s not in offered and why_not(scene, s) is None
    ]
    assert not missing
    # One start at a time, as booking checks it, answers the same as the list.
    for probe in probes:
        start = scene.window_start + probe * GRID
        if start < scene.window_end:
            free = slot_is_free(
                start=start,
                availability=scene.availability,
                rules=scene.rules,
                now=scene.now,
                taken=scene.taken,
                busy=scene.busy,
            )
            assert free == (start in offered)
