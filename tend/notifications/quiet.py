"""Quiet hours: a daily window, in the person's own time zone, when nothing is sent."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tend.notifications.models import Preferences


def quiet_until(prefs: Preferences | None, tz_name: str, now: dt.datetime) -> dt.datetime | None:
    """When the quiet window that ``now`` falls in ends (aware), or None if ``now`` is not quiet.

    The window runs from ``quiet_start`` to ``quiet_end`` local wall time; a start later than
    the end wraps past midnight (22:00 to 07:00). Equal times mean no quiet hours.
    """
    if prefs is None or prefs.quiet_start is None or prefs.quiet_end is None:
        return None
    start, end = prefs.quiet_start, prefs.quiet_end
    if start == end:
        return None
    tz = zoneinfo.ZoneInfo(tz_name)
    local = now.astimezone(tz)
    t = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= t < end
        end_day = local.date()
    else:
        inside = t >= start or t < end
        end_day = local.date() + dt.timedelta(days=1) if t >= start else local.date()
    if not inside:
        return None
    # Wall time to instant; across a DST gap zoneinfo picks the later, real instant.
    return dt.datetime.combine(end_day, end, tzinfo=tz).astimezone(dt.UTC)
