"""The IANA time zone names this machine knows, read once.

``zoneinfo.available_timezones()`` walks the tz database on disk at every call (about 12 ms),
and the booking pages ask on every request; the set cannot change while the process runs.
"""

from __future__ import annotations

import functools
import zoneinfo


@functools.cache
def known_zones() -> frozenset[str]:
    """Every time zone name ``zoneinfo.ZoneInfo`` accepts here."""
    return frozenset(zoneinfo.available_timezones())
