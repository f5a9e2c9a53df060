"""The personal iCalendar feed: each visible ritual as one VEVENT with its RRULE and VTIMEZONE,
and each call booked with the person as practitioner (tend/booking/ics.py).

Skipped occurrences become EXDATEs and moved ones an override (same UID, RECURRENCE-ID), so a
calendar app expands the feed to exactly the occurrences Tend shows. Titles are the ritual's
kind ("Weekly check-in"), or just "Tend" in discreet mode; nothing anyone wrote is in a feed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
from django.utils import timezone, translation

from tend.accounts.models import User
from tend.booking.ics import feed_events as booking_feed_events
from tend.core.languages import language_for
from tend.core.zones import add_vtimezones
from tend.rituals.models import OccurrenceState, Ritual
from tend.rituals.schedule import local_start, rule_for_feed, zone_for
from tend.rituals.selectors import marks_for_viewer, rituals_listed_for


def _title(ritual: Ritual, discreet: bool) -> str:
    return "Tend" if discreet else str(ritual.get_kind_display())


def feed_calendar(*, user: User, discreet: bool) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tend//Rituals//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Tend")
    stamp = timezone.now().replace(microsecond=0)
    with translation.override(language_for(user.language)):
        for ritual in rituals_listed_for(viewer=user):
            tz_name = zone_for(ritual, user.time_zone)
            tz = zoneinfo.ZoneInfo(tz_name)
            uid = f"{ritual.id}@tend"
            duration = dt.timedelta(minutes=ritual.duration_minutes)
            event = icalendar.Event()
            event.add("uid", uid)
            event.add("dtstamp", stamp)
            event.add("summary", _title(ritual, discreet))
            event.add("dtstart", local_start(ritual).replace(tzinfo=tz))
            event.add("duration", duration)
            event.add("rrule", icalendar.vRecur.from_ical(rule_for_feed(ritual.rrule, tz_name)))
            overrides = []
            for mark in marks_for_viewer(ritual):
                original = mark.original_start.astimezone(tz)
                if mark.state == OccurrenceState.State.SKIPPED:
                    event.add("exdate", original)
                elif mark.state == OccurrenceState.State.MOVED and mark.moved_to:
                    moved = icalendar.Event()
                    moved.add("uid", uid)
                    moved.add("dtstamp", stamp)
                    moved.add("summary", _title(ritual, discreet))
                    moved.add("recurrence-id", original)
                    moved.add("dtstart", mark.moved_to.astimezone(tz))
                    moved.add("duration", duration)
                    overrides.append(moved)
            cal.add_component(event)
            for moved in overrides:
                cal.add_component(moved)
        # The calls booked with this person as practitioner, by call type only (no names).
        for booking_event in booking_feed_events(user=user, discreet=discreet, stamp=stamp):
            cal.add_component(booking_event)
    add_vtimezones(cal)
    return cal.to_ical()
