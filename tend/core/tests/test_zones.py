"""The time zone names are read from disk once per process, not per request."""

from __future__ import annotations

import zoneinfo

import pytest

from tend.booking.services import _clean_booker
from tend.core.zones import known_zones


def test_the_zone_names_are_read_once_and_used_by_the_booking_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[int] = []
    real = zoneinfo.available_timezones

    def counting() -> set[str]:
        reads.append(1)
        return real()

    monkeypatch.setattr(zoneinfo, "available_timezones", counting)
    known_zones.cache_clear()
    try:
        for _ in range(3):
            _clean_booker(
                name="Sam",
                email="sam@example.test",
                zone="Europe/Berlin",
                language="en",
                pronouns="",
            )
        assert "America/New_York" in known_zones()
        assert len(reads) == 1
    finally:
        known_zones.cache_clear()
