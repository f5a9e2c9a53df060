"""The timeline groups moments by the day they happened in the person's own time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tend.journal.views import _days

ZONES = sorted(
    {
        "UTC",
        "Europe/Berlin",
        "America/Los_Angeles",
        "Pacific/Auckland",
        "Asia/Kolkata",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
        "America/St_Johns",
        "Australia/Lord_Howe",
    }
)
UTC_TIMES = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=dt.datetime(2027, 1, 1),  # noqa: DTZ001
).map(lambda naive: naive.replace(tzinfo=dt.UTC))


@settings(max_examples=200, deadline=None)
@given(zone=st.sampled_from(ZONES), times=st.lists(UTC_TIMES, min_size=1, max_size=30))
def test_each_moment_sits_under_its_own_local_day_newest_first(
    zone: str, times: list[dt.datetime]
) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    moments: list[Any] = [SimpleNamespace(occurred_at=t) for t in sorted(times, reverse=True)]
    days = _days(moments, tz)
    # Every moment appears once, in order, under the date it has on the person's clock.
    assert [m for day in days for m in day["moments"]] == moments
    for day in days:
        assert all(m.occurred_at.astimezone(tz).date() == day["date"] for m in day["moments"])
    # Days run newest first and never repeat.
    dates = [day["date"] for day in days]
    assert dates == sorted(set(dates), reverse=True)
