"""Helpers that make a practitioner with hours, and bookings, through the services."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from tend.accounts.models import User
from tend.booking.models import Booking, CallType, PractitionerProfile
from tend.booking.services import booking_create, profile_turn_on, profile_update, weekly_hours_set

INTAKE = {"relationship": "polyamorous", "what_brings": "Jealousy when my partner dates."}


def practitioner(
    user: User,
    *,
    zone: str = "Europe/Berlin",
    slug: str = "carol",
    hours: tuple[int, int] = (9, 17),
) -> PractitionerProfile:
    """``user`` offers calls, in ``zone``, every day of the week between ``hours``."""
    profile = profile_turn_on(actor=user)
    profile_update(actor=user, profile=profile, slug=slug, time_zone=zone, public_name="Carol")
    for weekday in range(7):
        weekly_hours_set(
            actor=user, weekday=weekday, ranges=[(dt.time(hours[0]), dt.time(hours[1]))]
        )
    return profile


def default_call(user: User) -> CallType:
    return CallType.objects.get(practitioner=user, is_default=True)


def call_type(user: User, **fields: Any) -> CallType:
    return CallType.objects.create(practitioner=user, name="Longer call", **fields)


def local(day: dt.date, hour: int, minute: int = 0, zone: str = "Europe/Berlin") -> dt.datetime:
    """A wall time in ``zone`` as a UTC instant."""
    wall = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))
    return wall.astimezone(dt.UTC)


def days_ahead(n: int = 5) -> dt.date:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=n)).date()


def book(
    call: CallType, start: dt.datetime, *, email: str = "visitor@example.test", **kwargs: Any
) -> tuple[Booking, str]:
    fields: dict[str, Any] = {
        "name": "Visitor",
        "email": email,
        "zone": "America/New_York",
        "intake": INTAKE,
        "consents_ticked": range(len(call.consents)),
    }
    fields.update(kwargs)
    return booking_create(call_type=call, start=start, **fields)
