"""iCalendar for bookings: the invitation attached to each email, and the practitioner's feed.

One booking is one VEVENT with a stable UID (``<booking id>@tend``) and the booking's
``SEQUENCE``, raised on every change, so a calendar app replaces its copy instead of adding a
second. A cancelled booking is sent with ``METHOD:CANCEL`` and ``STATUS:CANCELLED``. The start
is written in the reader's own zone with its VTIMEZONE (as tend/rituals/feed.py does), so the
event reads right in that zone and any other.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

import icalendar
from django.conf import settings
from django.utils import timezone

from tend.accounts.models import User
from tend.booking import selectors
from tend.booking.models import Booking
from tend.core.zones import add_vtimezones

# How far back the feed keeps past calls, so last week's call is still in one's calendar.
FEED_PAST = dt.timedelta(days=90)


def _organizer(name: str) -> icalendar.vCalAddress:
    # iTIP requires an ORGANIZER; the practitioner's own address is not given to the booker,
    # so the organizer is Tend's sending address under the practitioner's public name.
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = icalendar.vText(name)
    return organizer


def booking_event(
    booking: Booking, *, zone: str, summary: str, stamp: dt.datetime, location: str = ""
) -> icalendar.Event:
    tz = zoneinfo.ZoneInfo(zone)
    event = icalendar.Event()
    event.add("uid", f"{booking.id}@tend")
    event.add("dtstamp", stamp)
    event.add("sequence", booking.sequence)
    event.add("summary", summary)
    event.add("dtstart", booking.start.astimezone(tz))
    event.add("dtend", booking.end.astimezone(tz))
    cancelled = booking.status == Booking.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location and not cancelled:
        event.add("location", location)
    return event


def invitation(
    booking: Booking, *, zone: str, summary: str, organizer_name: str, location: str = ""
) -> bytes:
    """The .ics attached to an email: METHOD:REQUEST, or METHOD:CANCEL once cancelled."""
    cancelled = booking.status == Booking.Status.CANCELLED
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tend//Booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = booking_event(
        booking,
        zone=zone,
        summary=summary,
        stamp=timezone.now().replace(microsecond=0),
        location=location,
    )
    event.add("organizer", _organizer(organizer_name))
    cal.add_component(event)
    add_vtimezones(cal)
    return bytes(cal.to_ical())


def feed_events(*, user: User, discreet: bool, stamp: dt.datetime) -> Iterator[icalendar.Event]:
    """The practitioner's booked calls for their calendar feed: the call type only, no names."""
    zone = getattr(getattr(user, "practitioner_profile", None), "time_zone", user.time_zone)
    rows = (
        selectors.bookings_of(viewer=user)
        .filter(end__gte=timezone.now() - FEED_PAST)
        .exclude(status=Booking.Status.CANCELLED)
        .order_by("start")
    )
    for booking in rows:
        summary = "Tend" if discreet else booking.call_type.name
        yield booking_event(booking, zone=zone, summary=summary, stamp=stamp)
