"""The practitioner's calls in the API (/api/v1/booking/calls): list, read, mark, cancel, move,
notes. With a token or session, read scope for GET and write for changes; their own calls only
(``selectors.booking_of``). The public side and the booker's are in ``api.py``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router
from ninja import Schema as NinjaSchema
from pydantic import Field

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.api import errors
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import Page
from tend.booking import selectors, services
from tend.booking.api import _iso, _slot_problem, _utc
from tend.booking.models import Booking
from tend.booking.schemas import (
    CallListOut,
    CallOut,
    CancelIn,
    MarkIn,
    MoveIn,
    NotesIn,
)

router = Router(tags=["booking"])


class CallsQuery(NinjaSchema):
    when: str = Field(default="upcoming", pattern="^(upcoming|past)$")
    status: str = Field(default="", pattern="^(|confirmed|cancelled|attended|no_show)$")
    call_type: str = Field(default="", max_length=40, description="A call type's id.")


def _call(request: HttpRequest, booking_id: Any) -> Booking:
    booking = selectors.booking_of(viewer=person_of(request), id=booking_id)
    if booking is None:
        raise Http404
    return booking


def _call_list_out(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.id,
        "call_type_id": booking.call_type_id,
        "call_type": booking.call_type.name,
        "start": _iso(booking.start),
        "end": _iso(booking.end),
        "status": booking.status,
        "booker_name": booking.booker_name,
        "booker_zone": booking.booker_zone,
    }


def _call_out(booking: Booking) -> dict[str, Any]:
    try:
        intake = json.loads(booking.intake or "{}")
    except ValueError:
        intake = {}
    return {
        **_call_list_out(booking),
        "booker_email": booking.booker_email,
        "booker_pronouns": booking.booker_pronouns,
        "intake": intake if isinstance(intake, dict) else {},
        "consents": [
            {"text": str(c.get("text", "")), "at": str(c.get("at", ""))} for c in booking.consents
        ],
        "notes": booking.notes,
        "cancelled_by": booking.cancelled_by,
        "cancel_reason": booking.cancel_reason,
    }


@router.get("/calls", response=Page[CallListOut], summary="Your calls, upcoming or past")
def booking_calls(
    request: HttpRequest, filters: Query[CallsQuery], page: Query[PageParams]
) -> dict[str, Any]:
    user: User = person_of(request)
    rows = selectors.bookings_listed_for(
        viewer=user, when=filters.when, status=filters.status, call_type=filters.call_type
    )
    # Upcoming soonest first, past latest first, as on the page.
    listed = paginate(rows, page=page, key="start", descending=filters.when == "past")
    return {**listed, "items": [_call_list_out(b) for b in listed["items"]]}


@router.get("/calls/{booking_id}", response=CallOut, summary="One of your calls, with its intake")
def booking_call(request: HttpRequest, booking_id: str) -> dict[str, Any]:
    return _call_out(_call(request, booking_id))


@router.post("/calls/{booking_id}/mark", response=CallOut, summary="Mark attended or no-show")
def booking_call_mark(request: HttpRequest, booking_id: str, body: MarkIn) -> dict[str, Any]:
    booking = _call(request, booking_id)
    services.booking_mark(actor=person_of(request), booking=booking, status=body.status)
    booking.refresh_from_db()
    return _call_out(booking)


@router.post("/calls/{booking_id}/cancel", response=CallOut, summary="Cancel a call")
def booking_call_cancel(
    request: HttpRequest, booking_id: str, body: CancelIn
) -> dict[str, Any] | HttpResponse:
    booking = _call(request, booking_id)
    if not services.booking_cancel(
        booking=booking,
        by="practitioner",
        reason=body.reason,
        actor=person_of(request),
    ):
        return errors.problem(
            409,
            gettext("This call is no longer booked, so it cannot be cancelled."),
            title=gettext("Not open"),
        )
    booking.refresh_from_db()
    return _call_out(booking)


@router.post("/calls/{booking_id}/move", response=CallOut, summary="Move a call")
def booking_call_move(
    request: HttpRequest, booking_id: str, body: MoveIn
) -> dict[str, Any] | HttpResponse:
    user: User = person_of(request)
    booking = _call(request, booking_id)
    start = _utc(body.start, "start")
    profile = selectors.profile_of(viewer=user)
    try:
        services.booking_reschedule(booking=booking, start=start, by="practitioner", actor=user)
    except services.SlotError as refused:
        return _slot_problem(refused, profile.time_zone if profile else user.time_zone)
    booking.refresh_from_db()
    return _call_out(booking)


@router.put("/calls/{booking_id}/notes", response=CallOut, summary="Your private notes on a call")
def booking_call_notes(request: HttpRequest, booking_id: str, body: NotesIn) -> dict[str, Any]:
    booking = _call(request, booking_id)
    services.booking_note(actor=person_of(request), booking=booking, notes=body.notes)
    booking.refresh_from_db()
    return _call_out(booking)
