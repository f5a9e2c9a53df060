"""``add_vtimezones`` writes what icalendar's own ``add_missing_timezones`` writes, built once."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar

from tend.core.zones import _vtimezone, add_vtimezones


def _calendar() -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tend//Test//EN")
    cal.add("version", "2.0")
    for n, zone in enumerate(["Europe/Berlin", "Australia/Lord_Howe", "UTC", "Europe/Berlin"]):
        event = icalendar.Event()
        event.add("uid", f"{n}@tend")
        event.add("dtstamp", dt.datetime(2026, 12, 5, tzinfo=dt.UTC))
        event.add("dtstart", dt.datetime(2027, 3, 28, 1, 30, tzinfo=zoneinfo.ZoneInfo(zone)))
        cal.add_component(event)
    return cal


def test_the_same_calendar_as_icalendar_writes() -> None:
    ours, theirs = _calendar(), _calendar()
    add_vtimezones(ours)
    theirs.add_missing_timezones()
    # icalendar adds them in set order; ours are sorted by name. Compare as parsed sets.
    assert sorted(tz.to_ical() for tz in ours.timezones) == sorted(
        tz.to_ical() for tz in theirs.timezones
    )
    assert [tz.tz_name for tz in ours.timezones] == ["Australia/Lord_Howe", "Europe/Berlin"]
    # Before the events, and nothing else changed.
    assert [c.name for c in ours.subcomponents] == ["VTIMEZONE"] * 2 + ["VEVENT"] * 4
    assert ours.get_missing_tzids() == set()


def test_each_zone_is_built_once() -> None:
    _vtimezone.cache_clear()
    add_vtimezones(_calendar())
    add_vtimezones(_calendar())
    info = _vtimezone.cache_info()
    assert (info.misses, info.hits) == (2, 2)
