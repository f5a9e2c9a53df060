"""Schedules and rhythm in plain words."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tend.core import dates
from tend.rituals.models import Ritual
from tend.rituals.schedule import rule_parts

DAY_NAMES = {
    "MO": gettext_noop("Monday"),
    "TU": gettext_noop("Tuesday"),
    "WE": gettext_noop("Wednesday"),
    "TH": gettext_noop("Thursday"),
    "FR": gettext_noop("Friday"),
    "SA": gettext_noop("Saturday"),
    "SU": gettext_noop("Sunday"),
}


def describe(ritual: Ritual) -> str:
    parts = dict(rule_parts(ritual.rrule))
    at = ritual.start_time.strftime("%H:%M")
    freq = parts.get("FREQ", "")
    if freq == "WEEKLY":
        days = [_(DAY_NAMES.get(d, d)) for d in parts.get("BYDAY", "").split(",") if d]
        text = _("Every %(days)s at %(time)s") % {"days": ", ".join(days), "time": at}
    elif freq == "DAILY":
        text = _("Every day at %(time)s") % {"time": at}
    else:
        text = _("Repeats at %(time)s") % {"time": at}
    if ritual.basis == Ritual.Basis.EACH_LOCAL:
        text += " " + _("(each at their own local time)")
    else:
        text += " " + _("(%(zone)s time)") % {
            "zone": ritual.time_zone.split("/")[-1].replace("_", " ")
        }
    if "UNTIL" in parts:
        until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()  # noqa: DTZ007 - a date
        text += ", " + _("until %(day)s") % {"day": dates.when(until, "short_date")}
    return text


def rhythm_sentence(count: int, weeks: int) -> str:
    """How often it happened, plainly. No streaks, no targets, no 'missed'."""
    if count == 0:
        return _(
            "Nothing marked as done in the last %(weeks)d weeks. Whenever you are ready is fine."
        ) % {"weeks": weeks}
    return ngettext(
        "You came together for this once in the last %(weeks)d weeks.",
        "You came together for this %(count)d times in the last %(weeks)d weeks.",
        count,
    ) % {"count": count, "weeks": weeks}
