"""The rituals API: rituals, occurrences and check-ins. Thin: services write, selectors read."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Status
from ninja import Schema as NinjaSchema
from pydantic import Field

from tend.accounts.models import User
from tend.api.errors import problem
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import IsoDateTime, Page
from tend.connections.selectors import connection_for
from tend.rituals.models import ActionItem, CheckIn, CheckInAnswer
from tend.rituals.schedule import occurrences
from tend.rituals.schemas import (
    CheckInAnswerIn,
    CheckInOut,
    CheckInStartIn,
    OccurrenceMarkIn,
    OccurrenceOut,
    RitualIn,
    RitualOut,
)
from tend.rituals.selectors import (
    answers_visible_to,
    checkin_for,
    checkins_listed_for,
    listed_answers,
    listed_open_items,
    open_action_items_visible_to,
    ritual_for,
    rituals_visible_to,
)
from tend.rituals.services import (
    checkin_answer,
    checkin_start,
    occurrence_mark,
    ritual_archive,
    ritual_create,
)

router = Router(tags=["rituals"])


def _invalid(error: ValidationError) -> Any:
    return problem(
        422,
        gettext("The request could not be used."),
        errors=[{"location": "body", "message": m} for m in error.messages],
    )


def _checkin_out(
    checkin: CheckIn, answers: list[CheckInAnswer], open_items: list[ActionItem]
) -> dict[str, Any]:
    return {
        "id": checkin.id,
        "connection_id": checkin.connection_id,
        "created_at": checkin.created_at,
        "revealed_at": checkin.revealed_at,
        "answers": answers,
        "open_action_items": open_items,
    }


def _one_checkin_out(viewer: User, checkin: CheckIn) -> dict[str, Any]:
    return _checkin_out(
        checkin,
        answers_visible_to(viewer=viewer, checkin=checkin),
        open_action_items_visible_to(viewer=viewer, connection=checkin.connection),
    )


# Check-in routes come first so that "checkins" is never read as a ritual id.


@router.get("/checkins", response=Page[CheckInOut], summary="Your check-ins, newest first")
def checkins_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    result = paginate(checkins_listed_for(viewer=user), page=page, key="created_at")
    result["items"] = [
        _checkin_out(c, listed_answers(c), listed_open_items(c)) for c in result["items"]
    ]
    return result


@router.post("/checkins", response={201: CheckInOut}, summary="Start a check-in")
def checkins_start(request: HttpRequest, body: CheckInStartIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    connection = connection_for(viewer=user, id=body.connection_id)
    return Status(201, _one_checkin_out(user, checkin_start(actor=user, connection=connection)))


@router.get("/checkins/{checkin_id}", response=CheckInOut, summary="Read a check-in")
def checkins_read(request: HttpRequest, checkin_id: uuid.UUID) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _one_checkin_out(user, checkin_for(viewer=user, id=checkin_id))


@router.post(
    "/checkins/{checkin_id}/answers",
    response={201: CheckInOut},
    summary="Answer a check-in (privately, until everyone has answered)",
)
def checkins_answer(request: HttpRequest, checkin_id: uuid.UUID, body: CheckInAnswerIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    checkin = checkin_for(viewer=user, id=checkin_id)
    data = body.model_dump()
    items = data.pop("action_items")
    try:
        checkin_answer(actor=user, checkin=checkin, answers=data, action_items=items)
    except ValidationError as error:
        if any(e.code == "already_answered" for e in error.error_list):
            return problem(409, gettext("You have already answered this check-in."))
        return _invalid(error)
    return Status(201, _one_checkin_out(user, checkin_for(viewer=user, id=checkin_id)))


@router.get("", response=Page[RitualOut], summary="Your rituals and your connections'")
def rituals_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(
        rituals_visible_to(viewer=request.auth),  # type: ignore[attr-defined]
        page=page,
        key="created_at",
        descending=False,
    )


@router.post("", response={201: RitualOut}, summary="Create a ritual")
def rituals_create(request: HttpRequest, body: RitualIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    connection = connection_for(viewer=user, id=body.connection_id) if body.connection_id else None
    try:
        ritual = ritual_create(
            actor=user, connection=connection, **body.model_dump(exclude={"connection_id"})
        )
    except ValidationError as error:
        return _invalid(error)
    return Status(201, ritual)


@router.get("/{ritual_id}", response=RitualOut, summary="Read a ritual")
def rituals_read(request: HttpRequest, ritual_id: uuid.UUID) -> Any:
    return ritual_for(viewer=request.auth, id=ritual_id)  # type: ignore[attr-defined]


@router.delete("/{ritual_id}", response={204: None}, summary="Put a ritual away (its owner)")
def rituals_archive(request: HttpRequest, ritual_id: uuid.UUID) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    ritual = ritual_for(viewer=user, id=ritual_id)
    if ritual.owner_id != user.id:
        return problem(403, gettext("Only the person who made this ritual can put it away."))
    ritual_archive(actor=user, ritual=ritual)
    return Status(204, None)


class Window(NinjaSchema):
    start: IsoDateTime | None = Field(default=None, description="Default: now.")
    days: int = Field(default=30, ge=1, le=366)


@router.get(
    "/{ritual_id}/occurrences",
    response=list[OccurrenceOut],
    summary="Occurrences in a window, in your time zone",
)
def rituals_occurrences(request: HttpRequest, ritual_id: uuid.UUID, window: Query[Window]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    ritual = ritual_for(viewer=user, id=ritual_id)
    start = window.start or timezone.now()
    if timezone.is_naive(start):
        return problem(422, gettext("Give start with a UTC offset, such as 2026-03-01T00:00:00Z."))
    found = occurrences(
        ritual,
        start=start,
        end=start + dt.timedelta(days=window.days),
        participant_tz=user.time_zone,
        participant_id=user.id,
        include_skipped=True,
    )
    return [
        {"original": o.original, "start": o.start, "end": o.end, "state": o.state} for o in found
    ]


@router.post(
    "/{ritual_id}/occurrences",
    response={204: None},
    summary="Mark an occurrence done, skipped or moved (or clear it)",
)
def rituals_mark(request: HttpRequest, ritual_id: uuid.UUID, body: OccurrenceMarkIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    ritual = ritual_for(viewer=user, id=ritual_id)
    try:
        occurrence_mark(
            actor=user,
            ritual=ritual,
            original=body.original,
            state=body.state,
            moved_to=body.moved_to,
        )
    except ValidationError as error:
        return _invalid(error)
    return Status(204, None)
