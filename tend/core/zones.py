"""The IANA time zone names this machine knows, and their VTIMEZONE components, each built once.

``zoneinfo.available_timezones()`` walks the tz database on disk at every call (about 12 ms),
and the booking pages ask on every request; the set cannot change while the process runs.
"""

from __future__ import annotations

import functools
import zoneinfo

import icalendar


@functools.cache
def known_zones() -> frozenset[str]:
    """Every time zone name ``zoneinfo.ZoneInfo`` accepts here."""
    return frozenset(zoneinfo.available_timezones())


@functools.lru_cache(maxsize=128)
def _vtimezone(tzid: str) -> icalendar.Timezone | None:
    try:
        return icalendar.Timezone.from_tzid(tzid)
    except ValueError:  # a zone icalendar cannot describe: left out, as icalendar itself does
        return None


def add_vtimezones(cal: icalendar.Calendar) -> None:
    """Add the VTIMEZONE of every zone the calendar's events use (icalendar's
    ``add_missing_timezones``), each built once per process.

    Building one walks the zone's transitions from 1970 to 2038 (a few milliseconds, most of an
    .ics attachment's cost); the result depends only on the zone's name and this machine's tz
    database. The cached components are shared by every calendar that includes them and are
    only ever serialized, never changed.
    """
    missing = sorted(cal.get_missing_tzids())
    known = [tz for tz in (_vtimezone(tzid) for tzid in missing) if tz is not None]
    # Before the events that name them, as icalendar places them.
    at = len(cal.timezones)
    cal.subcomponents[at:at] = known
