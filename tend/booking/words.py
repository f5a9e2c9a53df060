"""Times in words, in a given zone: "Tuesday 14 January, 10:30 New York time"."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from tend.core.dates import when


def place_name(zone: str) -> str:
    """The city of an IANA zone, as people say it: America/New_York → New York."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def day_words(day: dt.date) -> str:
    return when(day, "weekday_day_month")


def time_words(instant: dt.datetime, zone: str) -> str:
    return date_format(instant.astimezone(zoneinfo.ZoneInfo(zone)), "H:i")


def when_words(instant: dt.datetime, zone: str) -> str:
    local = instant.astimezone(zoneinfo.ZoneInfo(zone))
    return _("%(day)s, %(time)s %(place)s time") % {
        "day": day_words(local.date()),
        "time": date_format(local, "H:i"),
        "place": place_name(zone),
    }


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, line breaks included, made one space.

    For email subjects built from names: a line break in a header raises BadHeaderError, and a
    name stored before names were checked must not stop the email.
    """
    return " ".join(text.split())
