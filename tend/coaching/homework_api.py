"""Suggestions and shared practice progress in the coaching API (under /api/v1/coaching/).

* The practitioner's: ``clients/{id}/suggestions`` (list, create), ``suggestions/{id}/withdraw``,
  and ``clients/{id}/progress`` (404 unless the client shares their practice progress; each read
  is a recorded view).
* The client's: ``suggestions`` (live suggestions to you), ``suggestions/{id}/decline``.

Same services and selectors as the pages; anything not the caller's is the same 404 as nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import Field

from tend.accounts.requests import person_of
from tend.api.schemas import OutSchema, Schema
from tend.coaching import selectors, suggestion_selectors
from tend.coaching.models import SUGGESTION_NOTE_MAX, Suggestion
from tend.coaching.progress import progress_for
from tend.coaching.suggestions import (
    DAY_CODES,
    suggestion_create,
    suggestion_decline,
    suggestion_withdraw,
)
from tend.connections.selectors import display_name

router = Router(tags=["coaching"])


class CoachingSuggestionIn(Schema):
    practice: str = Field(
        max_length=80,
        description='A library practice code, or "custom:<id>" of one of your own practices.',
    )
    rhythm: Literal["once", "weekly"] = "once"
    days: list[Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]] = Field(
        default_factory=list, description="For weekly: the days (in the client's time zone)."
    )
    note: str = Field(default="", max_length=SUGGESTION_NOTE_MAX)


class CoachingSuggestionOut(OutSchema):
    id: uuid.UUID
    client_connection: uuid.UUID
    practitioner: str = Field(description="How the practitioner appears to the client.")
    practice: str = Field(description='A library code, or "custom".')
    custom_practice: uuid.UUID | None
    title: str
    rhythm: Literal["once", "weekly"]
    days: list[str]
    note: str
    created_at: datetime
    status: Literal["live", "withdrawn", "declined"]
    declined_reason: str = Field(description="A reason code, or empty.")


class CoachingSuggestionDeclineIn(Schema):
    reason: Literal["", "not_now", "not_helpful", "too_much"] = ""


class ProgressSessionOut(OutSchema):
    started_at: datetime
    intensity_before: int | None
    intensity_after: int | None


class PracticeProgressOut(OutSchema):
    practice: str = Field(description='A library code, or "custom:<id>".')
    title: str
    sessions_count: int
    sessions: list[ProgressSessionOut]


class ProgressOut(OutSchema):
    share_id: uuid.UUID
    practices: list[PracticeProgressOut]


def _out(suggestion: Suggestion) -> dict[str, Any]:
    days = [d for d in DAY_CODES if d in suggestion.rrule.split("BYDAY=")[-1].split(",")]
    status = "live"
    if suggestion.withdrawn_at:
        status = "withdrawn"
    elif suggestion.declined_at:
        status = "declined"
    return {
        "id": suggestion.id,
        "client_connection": suggestion.connection_id,
        "practitioner": display_name(suggestion.practitioner),
        "practice": suggestion.practice_code,
        "custom_practice": suggestion.custom_practice_id,
        "title": str(suggestion_selectors.practice_of(suggestion).title),
        "rhythm": "weekly" if suggestion.rrule else "once",
        "days": days if suggestion.rrule else [],
        "note": suggestion.note,
        "created_at": suggestion.created_at,
        "status": status,
        "declined_reason": suggestion.declined_reason,
    }


@router.get(
    "/clients/{connection_id}/suggestions",
    response=list[CoachingSuggestionOut],
    summary="Your suggestions to a client",
)
def suggestions_to_client(request: HttpRequest, connection_id: str) -> Any:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=connection_id)
    return [
        _out(s) for s in suggestion_selectors.suggestions_of(viewer=user, connection=connection)
    ]


@router.post(
    "/clients/{connection_id}/suggestions",
    response={201: CoachingSuggestionOut},
    summary="Suggest a practice to a client",
)
def suggestion_add(request: HttpRequest, connection_id: str, body: CoachingSuggestionIn) -> Any:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=connection_id)
    made = suggestion_create(
        actor=user,
        connection=connection,
        practice=body.practice,
        rhythm=body.rhythm,
        days=body.days,
        note=body.note,
    )
    return Status(201, _out(suggestion_selectors.suggestion_of(viewer=user, id=made.id)))


@router.post(
    "/suggestions/{suggestion_id}/withdraw",
    response={204: None},
    summary="Withdraw a suggestion you made",
)
def suggestion_take_back(request: HttpRequest, suggestion_id: str) -> Any:
    user = person_of(request)
    found = suggestion_selectors.suggestion_of(viewer=user, id=suggestion_id)
    suggestion_withdraw(actor=user, suggestion=found)
    return Status(204, None)


@router.get("/suggestions", response=list[CoachingSuggestionOut], summary="Suggestions made to you")
def suggestions_to_me(request: HttpRequest) -> Any:
    return [_out(s) for s in suggestion_selectors.suggestions_for_client(viewer=person_of(request))]


@router.post(
    "/suggestions/{suggestion_id}/decline",
    response={204: None},
    summary="Set a suggestion aside, with a reason or none",
)
def suggestion_set_aside(
    request: HttpRequest, suggestion_id: str, body: CoachingSuggestionDeclineIn
) -> Any:
    user = person_of(request)
    found = suggestion_selectors.suggestion_for_client(viewer=user, id=suggestion_id)
    suggestion_decline(actor=user, suggestion=found, reason=body.reason)
    return Status(204, None)


@router.get(
    "/clients/{connection_id}/progress",
    response=ProgressOut,
    summary="A client's practice progress, while they share it",
)
def progress(request: HttpRequest, connection_id: str) -> Any:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=connection_id)
    found = progress_for(viewer=user, connection=connection)
    return {
        "share_id": found.share.id,
        "practices": [
            {
                "practice": item.key,
                "title": item.title,
                "sessions_count": item.count,
                "sessions": [
                    {
                        "started_at": row.started_at,
                        "intensity_before": row.before,
                        "intensity_after": row.after,
                    }
                    for row in item.sessions
                ],
            }
            for item in found.practices
        ],
    }
