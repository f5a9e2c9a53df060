"""The booking section of "download your data": what a practitioner offers and who booked them.

Their profile (the photo as the JPEG Tend keeps, base64), call types, weekly hours and date
overrides, the external calendar (its address, which is theirs; not the busy times fetched from
it, which are a copy of another service's data), and the calls booked with them, with what each
booker told them. Reads go through the practitioner's own selectors, so nobody else's rows load.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.booking.selectors import (
    bookings_of,
    calendar_of,
    call_types_of,
    overrides_of,
    photo_of,
    profile_of,
    weekly_hours_of,
)

if TYPE_CHECKING:
    from tend.accounts.models import User


def _iso(value: dt.date | dt.datetime | dt.time | None) -> str | None:
    return value.isoformat() if value is not None else None


@register_export_section("booking")
def export_booking(user: User) -> dict[str, Any] | None:
    profile = profile_of(viewer=user)
    if profile is None:
        return None
    photo = photo_of(viewer=user)
    calendar = calendar_of(viewer=user)
    return {
        "profile": {
            "offering": profile.offering,
            "slug": profile.slug,
            "public_name": profile.public_name,
            "pronouns": profile.pronouns,
            "bio": profile.bio,
            "approach": profile.approach,
            "languages": profile.languages,
            "time_zone": profile.time_zone,
            "photo": None
            if photo is None
            else {
                "content_type": "image/jpeg",
                "width": photo.width,
                "height": photo.height,
                "base64": base64.b64encode(bytes(photo.data)).decode("ascii"),
            },
        },
        "call_types": [
            {
                "id": str(call.id),
                "name": call.name,
                "duration_minutes": call.duration_minutes,
                "buffer_before_minutes": call.buffer_before_minutes,
                "buffer_after_minutes": call.buffer_after_minutes,
                "min_notice_minutes": call.min_notice_minutes,
                "horizon_days": call.horizon_days,
                "daily_limit": call.daily_limit,
                "step_minutes": call.step_minutes,
                "location_kind": call.location_kind,
                "location": call.location,
                "questions": call.questions,
                "consents": call.consents,
                "reminder_offsets": call.reminder_offsets,
                "cancellation_note": call.cancellation_note,
            }
            for call in call_types_of(viewer=user).order_by("created_at")
        ],
        "weekly_hours": [
            {"weekday": h.weekday, "start": _iso(h.start), "end": _iso(h.end)}
            for h in weekly_hours_of(viewer=user).order_by("weekday", "start")
        ],
        "date_overrides": [
            {"date": _iso(o.date), "start": _iso(o.start), "end": _iso(o.end)}
            for o in overrides_of(viewer=user, since=dt.date.min).order_by("date", "start")
        ],
        "external_calendar": None
        if calendar is None
        else {"url": calendar.url, "last_success_at": _iso(calendar.last_success_at)},
        "bookings": [
            {
                "id": str(b.id),
                "call_type": b.call_type.name,
                "start": _iso(b.start),
                "end": _iso(b.end),
                "status": b.status,
                "booker_name": b.booker_name,
                "booker_email": b.booker_email,
                "booker_pronouns": b.booker_pronouns,
                "booker_zone": b.booker_zone,
                "intake": json.loads(b.intake or "{}"),
                "consents": b.consents,
                "cancelled_at": _iso(b.cancelled_at),
                "cancelled_by": b.cancelled_by,
                "cancel_reason": b.cancel_reason,
                "notes": b.notes,
                "created_at": _iso(b.created_at),
            }
            for b in bookings_of(viewer=user).order_by("start")
        ],
    }
