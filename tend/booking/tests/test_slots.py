"""The free-slot engine: examples for the ordinary rules (the properties across clock changes are
in test_slots_properties.py).

The properties compare the engine with a brute-force reference that knows nothing of its
method: it tries every start on a five-minute grid, reads the practitioner's clock every five
minutes through the slot, and scans every busy time and booking. Everything the strategies draw
(hours, steps, durations, offsets of the zones) lies on that grid, so the grid holds every start
that can be valid.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tend.booking.slots import (
    Availability,
    CallRules,
    Hours,
    Taken,
    free_slots,
    nearest_free,
    slot_is_free,
)

BERLIN = ZoneInfo("Europe/Berlin")
MINUTES = timedelta(minutes=1)
GRID = timedelta(minutes=5)
EVERY_DAY = range(7)


def local(zone: ZoneInfo, text: str, fold: int = 0) -> datetime:
    """A wall-clock reading in `zone` as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=zone, fold=fold).astimezone(UTC)


def hours(text: str) -> Hours:
    start, end = text.split("-")
    return Hours(time.fromisoformat(start), time.fromisoformat(end))


def every_day(*ranges: str, zone: ZoneInfo = BERLIN) -> Availability:
    return Availability(
        zone=zone, weekly={d: tuple(hours(r) for r in ranges) for d in EVERY_DAY}, overrides={}
    )


def readings(slots: list[datetime], zone: ZoneInfo = BERLIN) -> list[str]:
    return [s.astimezone(zone).strftime("%d %H:%M") for s in slots]


def day_of(
    availability: Availability,
    rules: CallRules,
    day: str,
    *,
    now: datetime | None = None,
    taken: tuple[Taken, ...] = (),
    busy: tuple[tuple[datetime, datetime], ...] = (),
) -> list[str]:
    """The free starts on one local date in Berlin, as readings ("08 09:30")."""
    zone = availability.zone
    start = local(zone, f"{day}T00:00")
    return readings(
        free_slots(
            availability=availability,
            rules=rules,
            now=now or start - timedelta(days=7),
            window_start=start,
            window_end=local(zone, f"{day}T23:59"),
            taken=taken,
            busy=busy,
        ),
        zone,
    )


HALF_HOUR = CallRules(duration=timedelta(minutes=30), min_notice=timedelta(0))


# ---------------------------------------------------------------------------------------------
# Examples: the ordinary rules.


def test_it_offers_aligned_starts_whose_whole_call_fits_the_hours() -> None:
    assert day_of(every_day("09:00-11:00"), HALF_HOUR, "2026-06-08") == [
        "08 09:00",
        "08 09:30",
        "08 10:00",
        "08 10:30",
    ]


def test_it_aligns_starts_to_the_range_start_by_the_step() -> None:
    rules = CallRules(
        duration=timedelta(minutes=30), step=timedelta(minutes=20), min_notice=timedelta(0)
    )
    # 10:10 would end at 10:40, after the range.
    assert day_of(every_day("09:10-10:30"), rules, "2026-06-08") == [
        "08 09:10",
        "08 09:30",
        "08 09:50",
    ]


def test_it_offers_several_ranges_a_day_and_nothing_between_them() -> None:
    assert day_of(every_day("09:00-10:00", "14:00-15:00"), HALF_HOUR, "2026-06-08") == [
        "08 09:00",
        "08 09:30",
        "08 14:00",
        "08 14:30",
    ]


def test_it_joins_touching_ranges_so_a_call_may_span_them() -> None:
    rules = CallRules(duration=timedelta(hours=1), min_notice=timedelta(0))
    assert day_of(every_day("09:00-10:00", "10:00-11:00"), rules, "2026-06-08") == [
        "08 09:00",
        "08 09:30",
        "08 10:00",
    ]


def test_its_own_buffers_keep_clear_of_busy_times() -> None:
    rules = CallRules(
        duration=timedelta(minutes=30),
        buffer_before=timedelta(minutes=15),
        buffer_after=timedelta(minutes=15),
        step=timedelta(minutes=15),
        min_notice=timedelta(0),
    )
    busy = ((local(BERLIN, "2026-06-08T10:00"), local(BERLIN, "2026-06-08T11:00")),)
    # [s - 15 min, s + 45 min) must miss 10:00-11:00: s <= 09:15 or s >= 11:15.
    assert day_of(every_day("08:30-12:30"), rules, "2026-06-08", busy=busy) == [
        "08 08:30",
        "08 08:45",
        "08 09:00",
        "08 09:15",
        "08 11:15",
        "08 11:30",
        "08 11:45",
        "08 12:00",
    ]


def test_a_taken_booking_blocks_its_own_time_and_its_own_buffers() -> None:
    taken = (
        Taken(
            start=local(BERLIN, "2026-06-08T10:00"),
            end=local(BERLIN, "2026-06-08T10:30"),
            buffer_before=timedelta(minutes=30),
            buffer_after=timedelta(minutes=30),
        ),
    )
    assert day_of(every_day("09:00-12:00"), HALF_HOUR, "2026-06-08", taken=taken) == [
        "08 09:00",
        "08 11:00",
        "08 11:30",
    ]


def test_a_busy_time_that_only_touches_a_slot_does_not_block_it() -> None:
    busy = ((local(BERLIN, "2026-06-08T09:30"), local(BERLIN, "2026-06-08T10:00")),)
    assert day_of(every_day("09:00-10:30"), HALF_HOUR, "2026-06-08", busy=busy) == [
        "08 09:00",
        "08 10:00",
    ]


def test_it_offers_nothing_sooner_than_the_minimum_notice() -> None:
    rules = CallRules(duration=timedelta(minutes=30), min_notice=timedelta(hours=1))
    now = local(BERLIN, "2026-06-08T08:10")
    assert day_of(every_day("09:00-11:00"), rules, "2026-06-08", now=now) == [
        "08 09:30",
        "08 10:00",
        "08 10:30",
    ]


def test_it_offers_the_horizon_itself_and_nothing_beyond() -> None:
    rules = CallRules(
        duration=timedelta(minutes=30), min_notice=timedelta(0), horizon=timedelta(days=2)
    )
    now = local(BERLIN, "2026-06-06T10:00")
    assert day_of(every_day("09:00-11:00"), rules, "2026-06-08", now=now) == [
        "08 09:00",
        "08 09:30",
        "08 10:00",
    ]


def test_the_daily_limit_counts_bookings_of_any_type_by_the_practitioners_date() -> None:
    rules = CallRules(duration=timedelta(minutes=30), min_notice=timedelta(0), daily_limit=1)
    # 00:30 in Berlin on the 9th is still the 8th in UTC: it fills the 9th, not the 8th.
    taken = (Taken(start=local(BERLIN, "2026-06-09T00:30"), end=local(BERLIN, "2026-06-09T02:00")),)
    availability = every_day("09:00-10:00")
    assert day_of(availability, rules, "2026-06-08", taken=taken) == ["08 09:00", "08 09:30"]
    assert day_of(availability, rules, "2026-06-09", taken=taken) == []


def test_a_daily_limit_not_yet_reached_leaves_the_day_open() -> None:
    rules = CallRules(duration=timedelta(minutes=30), min_notice=timedelta(0), daily_limit=2)
    taken = (Taken(start=local(BERLIN, "2026-06-08T07:00"), end=local(BERLIN, "2026-06-08T07:30")),)
    assert day_of(every_day("09:00-10:00"), rules, "2026-06-08", taken=taken) == [
        "08 09:00",
        "08 09:30",
    ]


def test_an_override_replaces_the_weekday_and_an_empty_one_is_a_day_off() -> None:
    availability = Availability(
        zone=BERLIN,
        weekly={0: (hours("09:00-10:00"),), 1: (hours("09:00-10:00"),)},
        overrides={date(2026, 6, 8): (hours("15:00-16:00"),), date(2026, 6, 9): ()},
    )
    assert day_of(availability, HALF_HOUR, "2026-06-08") == ["08 15:00", "08 15:30"]
    assert day_of(availability, HALF_HOUR, "2026-06-09") == []
    assert day_of(availability, HALF_HOUR, "2026-06-15") == ["15 09:00", "15 09:30"]
    # A weekday without hours (Wednesday) is closed.
    assert day_of(availability, HALF_HOUR, "2026-06-10") == []


def test_it_aligns_in_wall_time_in_a_zone_three_quarters_of_an_hour_off() -> None:
    kathmandu = ZoneInfo("Asia/Kathmandu")
    slots = free_slots(
        availability=every_day("09:00-10:00", zone=kathmandu),
        rules=HALF_HOUR,
        now=datetime(2026, 6, 1, tzinfo=UTC),
        window_start=datetime(2026, 6, 8, tzinfo=UTC),
        window_end=datetime(2026, 6, 9, tzinfo=UTC),
    )
    assert slots == [
        datetime(2026, 6, 8, 3, 15, tzinfo=UTC),
        datetime(2026, 6, 8, 3, 45, tzinfo=UTC),
    ]


# ---------------------------------------------------------------------------------------------
# Examples: clock changes (the rule is in the module's docstring).


def test_a_start_in_the_spring_gap_is_not_offered_and_later_starts_keep_their_alignment() -> None:
    # Berlin, 29 March 2026: 02:00 becomes 03:00.
    assert day_of(every_day("01:00-04:00"), HALF_HOUR, "2026-03-29") == [
        "29 01:00",
        "29 01:30",
        "29 03:00",
        "29 03:30",
    ]


def test_a_call_across_the_spring_gap_fits_when_the_clock_leaves_it_within_the_hours() -> None:
    hour = CallRules(duration=timedelta(hours=1), min_notice=timedelta(0))
    # 01:30 + 30 minutes reads 03:00: inside 01:00-03:00. 01:30 + 1 hour reads 04:00: not.
    assert day_of(every_day("01:00-03:00"), HALF_HOUR, "2026-03-29") == ["29 01:00", "29 01:30"]
    assert day_of(every_day("01:00-03:00"), hour, "2026-03-29") == ["29 01:00"]


def test_the_repeated_hour_in_autumn_is_offered_at_both_instants() -> None:
    # Berlin, 25 October 2026: 03:00 summer time becomes 02:00 again.
    slots = free_slots(
        availability=every_day("02:00-03:00"),
        rules=HALF_HOUR,
        now=datetime(2026, 10, 1, tzinfo=UTC),
        window_start=local(BERLIN, "2026-10-25T00:00"),
        window_end=local(BERLIN, "2026-10-26T00:00"),
    )
    assert slots == [
        local(BERLIN, "2026-10-25T02:00"),
        local(BERLIN, "2026-10-25T02:30"),
        local(BERLIN, "2026-10-25T02:00", fold=1),
        local(BERLIN, "2026-10-25T02:30", fold=1),
    ]
    assert len({s.isoformat() for s in slots}) == 4


def test_a_call_whose_clock_runs_out_of_the_hours_and_back_in_is_not_offered() -> None:
    hour = CallRules(duration=timedelta(hours=1), min_notice=timedelta(0))
    # Hours 02:30-03:00: 02:30 summer time + 1 hour reads 02:30 again, but passes 02:00-02:29.
    # The repeated hour with the whole 01:00-04:00: that call stays inside and is offered.
    assert day_of(every_day("02:30-03:00"), hour, "2026-10-25") == []
    assert "25 02:30" in day_of(every_day("01:00-04:00"), hour, "2026-10-25")


def test_lord_howe_shifts_by_half_an_hour() -> None:
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    # 4 October 2026, 02:00 becomes 02:30.
    assert day_of(every_day("01:30-03:30", zone=lord_howe), HALF_HOUR, "2026-10-04") == [
        "04 01:30",
        "04 02:30",
        "04 03:00",
    ]
    # 5 April 2026, 02:00 becomes 01:30: 01:30 is read twice.
    assert day_of(every_day("01:30-02:00", zone=lord_howe), HALF_HOUR, "2026-04-05") == [
        "05 01:30",
        "05 01:30",
    ]


# ---------------------------------------------------------------------------------------------
# One start, the nearest free ones, bad input.


def test_slot_is_free_agrees_with_the_list() -> None:
    availability = every_day("09:00-11:00")
    busy = ((local(BERLIN, "2026-06-08T09:45"), local(BERLIN, "2026-06-08T10:15")),)
    now = local(BERLIN, "2026-06-01T00:00")
    listed = free_slots(
        availability=availability,
        rules=HALF_HOUR,
        now=now,
        window_start=local(BERLIN, "2026-06-08T00:00"),
        window_end=local(BERLIN, "2026-06-09T00:00"),
        busy=busy,
    )
    assert readings(listed) == ["08 09:00", "08 10:30"]
    for minute in range(8 * 60, 12 * 60, 15):
        start = local(BERLIN, "2026-06-08T00:00") + minute * MINUTES
        free = slot_is_free(
            start=start, availability=availability, rules=HALF_HOUR, now=now, busy=busy
        )
        assert free == (start in listed), start


def test_nearest_free_gives_the_closest_starts_in_time_order() -> None:
    base = datetime(2026, 6, 8, 9, tzinfo=UTC)
    slots = [base + k * timedelta(minutes=30) for k in (0, 1, 4, 5, 9)]
    wanted = base + timedelta(hours=1)  # 10:00, taken
    assert nearest_free(start=wanted, slots=slots, count=3) == [
        base,
        base + timedelta(minutes=30),
        base + timedelta(hours=2),
    ]
    assert nearest_free(start=wanted, slots=slots[:1], count=3) == [base]
    assert nearest_free(start=wanted, slots=[], count=3) == []


def test_it_refuses_hours_that_end_before_they_start_and_naive_times() -> None:
    with pytest.raises(ValueError, match="end after they start"):
        Hours(time(10), time(9))
    with pytest.raises(ValueError, match="timezone-aware"):
        free_slots(
            availability=every_day("09:00-10:00"),
            rules=HALF_HOUR,
            now=datetime(2026, 6, 1),  # noqa: DTZ001 - the naive time is the point
            window_start=datetime(2026, 6, 1, tzinfo=UTC),
            window_end=datetime(2026, 6, 2, tzinfo=UTC),
        )
