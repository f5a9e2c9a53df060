"""Property tests: rituals land at the right local times across two years of DST changes, and
the iCalendar feed, expanded by an independent parser, yields exactly Tend's occurrences."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import icalendar
import pytest
import recurring_ical_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tend.accounts.models import User
from tend.connections.tests.factories import connect
from tend.rituals.feed import feed_calendar
from tend.rituals.models import OccurrenceState, Ritual
from tend.rituals.schedule import occurrences
from tend.rituals.services import occurrence_mark, ritual_create

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TWO_YEARS = dt.timedelta(days=731)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def pair(alice: User, bob: User) -> tuple[User, User, Any]:
    alice.time_zone = "Europe/Berlin"
    alice.save()
    bob.time_zone = "America/New_York"
    bob.save()
    return alice, bob, connect(alice, bob)


def _window(start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(start, dt.time(0), tzinfo=dt.UTC)
    return begin, begin + TWO_YEARS


def _expected_local(start: dt.date, weekday: int, at: dt.time, tz: zoneinfo.ZoneInfo) -> list:
    """Independent of dateutil: every such weekday from ``start``, at the wall time in ``tz``."""
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    out = []
    while day < start + TWO_YEARS:
        out.append(dt.datetime.combine(day, at))
        day += dt.timedelta(days=7)
    return out


def _wall(instant: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


def _exists(local: dt.datetime, tz: zoneinfo.ZoneInfo) -> bool:
    return _wall(local.replace(tzinfo=tz), tz) == local


starts = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31))


@SETTINGS
@given(start=starts, weekday=st.integers(0, 6))
def test_a_weekly_ritual_at_19_lands_at_19_for_alice_in_berlin_and_bob_in_new_york(
    pair: tuple[User, User, Any], start: dt.date, weekday: int
) -> None:
    alice, bob, connection = pair
    ritual = ritual_create(
        actor=alice,
        connection=connection,
        kind="affirmation",
        rrule=f"FREQ=WEEKLY;BYDAY={DAYS[weekday]}",
        start_date=start,
        start_time=dt.time(19),
        basis=Ritual.Basis.EACH_LOCAL,
    )
    begin, end = _window(start)
    for person, tz in ((alice, BERLIN), (bob, NEW_YORK)):
        found = occurrences(
            ritual, start=begin, end=end, participant_tz=person.time_zone, participant_id=person.id
        )
        walls = [_wall(o.start, tz) for o in found]
        expected = [
            w
            for w in _expected_local(start, weekday, dt.time(19), tz)
            if w.replace(tzinfo=tz) < end
        ]
        assert walls == expected
        assert all(w.hour == 19 and w.minute == 0 for w in walls)
    # The same wall time in two zones: 6 hours apart, 5 in the weeks when only one side has
    # changed its clocks (the USA moves earlier in spring and later in autumn).
    a = occurrences(
        ritual, start=begin, end=end, participant_tz="Europe/Berlin", participant_id=alice.id
    )
    b = occurrences(
        ritual, start=begin, end=end, participant_tz="America/New_York", participant_id=bob.id
    )
    gaps = {(y.start - x.start) for x, y in zip(a, b, strict=False)}
    assert gaps <= {dt.timedelta(hours=6), dt.timedelta(hours=5)}
    ritual.delete()


@SETTINGS
@given(start=starts, weekday=st.integers(0, 6))
def test_a_shared_ritual_at_19_berlin_time_is_the_same_moment_for_bob_in_new_york(
    pair: tuple[User, User, Any], start: dt.date, weekday: int
) -> None:
    alice, bob, connection = pair
    ritual = ritual_create(
        actor=alice,
        connection=connection,
        kind="checkin",
        rrule=f"FREQ=WEEKLY;BYDAY={DAYS[weekday]}",
        start_date=start,
        start_time=dt.time(19),
    )
    begin, end = _window(start)
    for_alice = occurrences(ritual, start=begin, end=end, participant_tz=alice.time_zone)
    for_bob = occurrences(ritual, start=begin, end=end, participant_tz=bob.time_zone)
    assert [o.start for o in for_alice] == [o.start for o in for_bob]
    expected = [
        w
        for w in _expected_local(start, weekday, dt.time(19), BERLIN)
        if w.replace(tzinfo=BERLIN) < end
    ]
    assert [_wall(o.start, BERLIN) for o in for_alice] == expected
    # For bob it is 13:00, or 12:00/14:00 in the weeks the two countries' clocks disagree.
    bob_hours = {_wall(o.start, NEW_YORK).hour for o in for_bob}
    assert bob_hours <= {12, 13, 14}
    assert 13 in bob_hours
    ritual.delete()


@SETTINGS
@given(
    start=starts,
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    basis=st.sampled_from([Ritual.Basis.TOGETHER, Ritual.Basis.EACH_LOCAL]),
    until_weeks=st.none() | st.integers(1, 120),
)
def test_any_weekly_time_is_placed_by_rfc_5545_rules_even_in_dst_gaps(
    pair: tuple[User, User, Any],
    start: dt.date,
    weekday: int,
    hour: int,
    minute: int,
    basis: str,
    until_weeks: int | None,
) -> None:
    alice, bob, connection = pair
    at = dt.time(hour, minute)
    rule = f"FREQ=WEEKLY;BYDAY={DAYS[weekday]}"
    if until_weeks:
        rule += f";UNTIL={(start + dt.timedelta(weeks=until_weeks)):%Y%m%d}T235959"
    ritual = ritual_create(
        actor=alice,
        connection=connection,
        kind="touchpoint",
        rrule=rule,
        start_date=start,
        start_time=at,
        basis=basis,
    )
    begin, end = _window(start)
    for person, tz in ((alice, BERLIN), (bob, NEW_YORK)):
        zone = tz if basis == Ritual.Basis.EACH_LOCAL else BERLIN
        found = occurrences(
            ritual, start=begin, end=end, participant_tz=person.time_zone, participant_id=person.id
        )
        for o in found:
            local = dt.datetime.combine(o.start.astimezone(zone).date(), at)
            if _exists(local, zone):
                assert _wall(o.start, zone) == local
            else:  # the hour that does not exist is read with the offset before the gap
                assert _wall(o.start, zone) == local + dt.timedelta(hours=1)
        if until_weeks:
            assert all(
                o.start.date() <= start + dt.timedelta(weeks=until_weeks, days=1) for o in found
            )
    ritual.delete()


def _expand(ics: bytes, begin: dt.datetime, end: dt.datetime, uid: str) -> list[dt.datetime]:
    calendar = icalendar.Calendar.from_ical(ics)
    events = recurring_ical_events.of(calendar).between(begin, end)
    return sorted(e["DTSTART"].dt.astimezone(dt.UTC) for e in events if str(e["UID"]) == uid)


@SETTINGS
@given(
    start=starts,
    weekday=st.integers(0, 6),
    hour=st.sampled_from([7, 12, 19, 21]),
    basis=st.sampled_from([Ritual.Basis.TOGETHER, Ritual.Basis.EACH_LOCAL]),
    skips=st.sets(st.integers(0, 100), max_size=6),
    moves=st.dictionaries(st.integers(0, 100), st.integers(-72, 72).filter(bool), max_size=4),
    discreet=st.booleans(),
)
def test_the_calendar_feed_expanded_by_an_independent_parser_gives_exactly_our_occurrences(
    pair: tuple[User, User, Any],
    start: dt.date,
    weekday: int,
    hour: int,
    basis: str,
    skips: set[int],
    moves: dict[int, int],
    discreet: bool,
) -> None:
    alice, bob, connection = pair
    ritual = ritual_create(
        actor=alice,
        connection=connection,
        kind="checkin",
        rrule=f"FREQ=WEEKLY;BYDAY={DAYS[weekday]}",
        start_date=start,
        start_time=dt.time(hour),
        basis=basis,
        words="CANARY-ritual-words",
    )
    begin, end = _window(start)
    for person in (alice, bob):
        plain = occurrences(
            ritual, start=begin, end=end, participant_tz=person.time_zone, participant_id=person.id
        )
        for index in sorted(skips | set(moves)):
            if index >= len(plain):
                continue
            original = plain[index].original
            if index in moves:
                occurrence_mark(
                    actor=person,
                    ritual=ritual,
                    original=original,
                    state="moved",
                    moved_to=original + dt.timedelta(hours=moves[index]),
                )
            else:
                occurrence_mark(actor=person, ritual=ritual, original=original, state="skipped")
            if basis == Ritual.Basis.TOGETHER:
                break  # one mark is shared by both; the second person sees it already
        ours = sorted(
            o.start.astimezone(dt.UTC)
            for o in occurrences(
                ritual,
                start=begin,
                end=end,
                participant_tz=person.time_zone,
                participant_id=person.id,
            )
        )
        ics = feed_calendar(user=person, discreet=discreet)
        assert b"CANARY" not in ics
        assert b"BEGIN:VTIMEZONE" in ics and b"RRULE:FREQ=WEEKLY" in ics
        assert (b"SUMMARY:Tend" in ics) == discreet
        assert _expand(ics, begin, end, f"{ritual.id}@tend") == ours
    OccurrenceState.objects.filter(ritual=ritual).delete()
    ritual.delete()
