"""Reads for booking: a practitioner's public page, their availability, and free slots.

Public reads go through ``profile_public`` and ``call_type_public``, which answer ``None`` for
a profile that is off exactly as for one that does not exist. The practitioner's own reads
filter by the viewer, so one practitioner never loads another's rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tend.accounts.models import User
from tend.booking import slots
from tend.booking.models import (
    Booking,
    BusyInterval,
    CallType,
    DateOverride,
    ExternalCalendar,
    PractitionerPhoto,
    PractitionerProfile,
    WeeklyHours,
)

# What filtering a UUID primary key by text that is not a UUID raises (Django's ValidationError
# from UUIDField.to_python, not ValueError).
MALFORMED_ID = (ValidationError, ValueError, TypeError)

# How far either side of one start the booking guard reads bookings and busy times: enough
# for the whole practitioner-local day (daily limit) plus the longest buffers.
GUARD_REACH = dt.timedelta(days=2)


def profile_public(*, slug: str) -> PractitionerProfile | None:
    return (
        PractitionerProfile.objects.select_related("user__data_key")
        .filter(slug=slug, offering=True, user__is_active=True)
        .first()
    )


def photo_public(*, slug: str) -> PractitionerPhoto | None:
    """The photo of a page that is on; None for a page off, unknown or without a photo."""
    return PractitionerPhoto.objects.filter(
        profile__slug=slug, profile__offering=True, profile__user__is_active=True
    ).first()


def call_types_public(*, profile: PractitionerProfile) -> QuerySet[CallType]:
    return CallType.objects.filter(practitioner_id=profile.user_id, active=True)


def call_type_public(*, profile: PractitionerProfile, call_type_id: str) -> CallType | None:
    try:
        return call_types_public(profile=profile).filter(id=call_type_id).first()
    except MALFORMED_ID:  # a malformed id is the same as an unknown one
        return None


def profile_of(*, viewer: User) -> PractitionerProfile | None:
    return PractitionerProfile.objects.filter(user=viewer).first()


def photo_of(*, viewer: User) -> PractitionerPhoto | None:
    return PractitionerPhoto.objects.filter(profile__user=viewer).first()


def profile_for_booking(*, booking: Booking) -> PractitionerProfile:
    """The profile of the practitioner a booking is with, for its booker's manage pages (the
    caller has already proved the booking is theirs, by its secret)."""
    return PractitionerProfile.objects.get(user_id=booking.practitioner_id)


def call_types_of(*, viewer: User) -> QuerySet[CallType]:
    return CallType.objects.filter(practitioner=viewer, active=True)


def bookings_of(*, viewer: User) -> QuerySet[Booking]:
    return Booking.objects.filter(practitioner=viewer).select_related(
        "call_type", "practitioner__data_key"
    )


def weekly_hours_of(*, viewer: User) -> QuerySet[WeeklyHours]:
    return WeeklyHours.objects.filter(practitioner=viewer)


def overrides_of(*, viewer: User, since: dt.date) -> QuerySet[DateOverride]:
    """The viewer's days off and other hours from ``since`` on, by date."""
    return DateOverride.objects.filter(practitioner=viewer, date__gte=since)


def calendar_of(*, viewer: User) -> ExternalCalendar | None:
    return ExternalCalendar.objects.filter(practitioner=viewer).first()


def availability_for(*, practitioner_id: uuid.UUID, time_zone: str) -> slots.Availability:
    weekly: dict[int, list[slots.Hours]] = defaultdict(list)
    for row in WeeklyHours.objects.filter(practitioner_id=practitioner_id).order_by("start"):
        weekly[row.weekday].append(slots.Hours(start=row.start, end=row.end))
    overrides: dict[dt.date, list[slots.Hours]] = defaultdict(list)
    for o in DateOverride.objects.filter(practitioner_id=practitioner_id).order_by("start"):
        ranges = overrides[o.date]  # a row without times still makes the date a day off
        if o.start is not None and o.end is not None:
            ranges.append(slots.Hours(start=o.start, end=o.end))
    return slots.Availability(
        zone=zoneinfo.ZoneInfo(time_zone),
        weekly={day: tuple(ranges) for day, ranges in weekly.items()},
        overrides={day: tuple(ranges) for day, ranges in overrides.items()},
    )


def rules_for(call_type: CallType) -> slots.CallRules:
    return slots.CallRules(
        duration=dt.timedelta(minutes=call_type.duration_minutes),
        buffer_before=dt.timedelta(minutes=call_type.buffer_before_minutes),
        buffer_after=dt.timedelta(minutes=call_type.buffer_after_minutes),
        min_notice=dt.timedelta(minutes=call_type.min_notice_minutes),
        horizon=dt.timedelta(days=call_type.horizon_days),
        daily_limit=call_type.daily_limit,
        step=dt.timedelta(minutes=call_type.step_minutes),
    )


def taken_between(
    *,
    practitioner_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    exclude: uuid.UUID | None = None,
) -> list[slots.Taken]:
    """Live bookings whose blocks touch [start, end), as the slot engine reads them."""
    rows = Booking.objects.filter(
        practitioner_id=practitioner_id, block_start__lt=end, block_end__gt=start
    ).exclude(status=Booking.Status.CANCELLED)
    if exclude is not None:
        rows = rows.exclude(id=exclude)
    return [
        slots.Taken(
            start=s,
            end=e,
            buffer_before=s - bs,
            buffer_after=be - e,
        )
        for s, e, bs, be in rows.values_list("start", "end", "block_start", "block_end")
    ]


def busy_between(
    *, practitioner_id: uuid.UUID, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    return list(
        BusyInterval.objects.filter(
            calendar__practitioner_id=practitioner_id, start__lt=end, end__gt=start
        )
        .order_by("start")
        .values_list("start", "end")
    )


def free_slots_for(
    *,
    call_type: CallType,
    time_zone: str,
    now: dt.datetime,
    window_start: dt.datetime,
    window_end: dt.datetime,
    exclude: uuid.UUID | None = None,
) -> list[dt.datetime]:
    """The free starts of a call type in [window_start, window_end), UTC-aware and sorted.

    ``exclude`` leaves one booking out of what is taken: a booking being moved does not block
    the times around itself.
    """
    reach_start, reach_end = window_start - GUARD_REACH, window_end + GUARD_REACH
    pid = call_type.practitioner_id
    return slots.free_slots(
        availability=availability_for(practitioner_id=pid, time_zone=time_zone),
        rules=rules_for(call_type),
        now=now,
        window_start=window_start,
        window_end=window_end,
        taken=taken_between(practitioner_id=pid, start=reach_start, end=reach_end, exclude=exclude),
        busy=busy_between(practitioner_id=pid, start=reach_start, end=reach_end),
    )


def booking_of(*, viewer: User, id: object) -> Booking | None:
    try:
        return bookings_of(viewer=viewer).filter(id=str(id)).first()
    except MALFORMED_ID:  # the same None as an id nobody has
        return None


def bookings_listed_for(
    *, viewer: User, when: str, status: str = "", call_type: str = ""
) -> QuerySet[Booking]:
    """The practitioner's calls: upcoming soonest first, or past latest first."""
    now = dt.datetime.now(dt.UTC)
    rows = bookings_of(viewer=viewer)
    rows = (
        rows.filter(end__gt=now).order_by("start")
        if when != "past"
        else rows.filter(end__lte=now).order_by("-start")
    )
    if status:
        rows = rows.filter(status=status)
    if call_type:
        try:
            rows = rows.filter(call_type_id=uuid.UUID(call_type))
        except ValueError:
            return rows.none()
    return rows
