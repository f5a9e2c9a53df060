"""The journal's API: moments (with idempotent logging for offline devices) and vocabularies.

Handlers stay thin: the rules live in validation.py and services.py, the access rules in
selectors.py, and the problem documents in tend/api/errors.py.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Header, Query, Router, Status
from ninja import Schema as NinjaSchema
from pydantic import Field

from tend.api.errors import problem
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import Page, Problem
from tend.journal import vocabulary
from tend.journal.schemas import (
    MomentIn,
    MomentOut,
    MomentPatch,
    OwnTermIn,
    TermOut,
    VocabularyOut,
)
from tend.journal.selectors import moment_for, moments_of, own_vocabulary
from tend.journal.services import (
    IdempotencyConflict,
    RestoreExpired,
    moment_delete,
    moment_log,
    moment_restore,
    moment_update,
    vocabulary_entry_add,
)
from tend.journal.themes import moment_file

router = Router(tags=["moments"])
vocabulary_router = Router(tags=["vocabulary"])


class MomentFilters(NinjaSchema):
    kind: Literal["activation", "glimmer"] | None = Field(default=None)
    state: str | None = Field(
        default=None, max_length=32, description="A state code: only moments with this state."
    )


@router.post(
    "",
    response={200: MomentOut, 201: MomentOut, 409: Problem},
    summary="Log a moment",
    description=(
        "Send an `Idempotency-Key` (a UUID made on the device) so that a retry never logs the "
        "moment twice: the same key with the same body answers 200 with the moment logged the "
        "first time; the same key with a different body is a 409 conflict. Only `cue` or at "
        "least one state is required."
    ),
)
def moments_log(
    request: HttpRequest,
    body: MomentIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Any:
    try:
        moment, created = moment_log(
            author=request.auth,  # type: ignore[attr-defined]
            idempotency_key=idempotency_key,
            **body.fields(),
        )
    except IdempotencyConflict:
        return problem(
            409,
            "This Idempotency-Key was already used for a different moment. Use a new key for "
            "a new moment.",
            title="Conflict",
        )
    except ValidationError as error:
        if "idempotency_key" not in error.message_dict:
            raise
        # The key travels in a header, so say so rather than point into the body.
        return problem(
            422,
            "The Idempotency-Key header is not usable.",
            errors=[
                {"location": "header.Idempotency-Key", "message": message}
                for message in error.message_dict["idempotency_key"]
            ],
        )
    return Status(201 if created else 200, moment)


@router.get("", response=Page[MomentOut], summary="List your moments")
def moments_list(
    request: HttpRequest, page: Query[PageParams], filters: Query[MomentFilters]
) -> Any:
    moments = moments_of(viewer=request.auth)  # type: ignore[attr-defined]
    if filters.kind:
        moments = moments.filter(kind=filters.kind)
    if filters.state is not None:
        if filters.state not in vocabulary.codes("states"):
            return problem(
                422,
                "Choose a state from GET /api/v1/vocabulary.",
                errors=[{"location": "query.state", "message": "Unknown state."}],
            )
        # A quoted code matches one list element exactly, on SQLite and PostgreSQL alike.
        moments = moments.filter(states__icontains=f'"{filters.state}"')
    return paginate(moments, page=page, key="occurred_at")


@router.get("/{moment_id}", response=MomentOut, summary="Read a moment")
def moments_read(request: HttpRequest, moment_id: uuid.UUID) -> Any:
    return moment_for(viewer=request.auth, id=moment_id)  # type: ignore[attr-defined]


@router.patch("/{moment_id}", response=MomentOut, summary="Change a moment")
def moments_update(request: HttpRequest, moment_id: uuid.UUID, body: MomentPatch) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    moment = moment_for(viewer=user, id=moment_id)
    fields = body.fields()
    # Filing is not editing: a new theme alone does not mark the moment as edited.
    filing = {"theme": fields.pop("theme")} if "theme" in fields else None
    with transaction.atomic():
        moment = moment_update(actor=user, moment=moment, **fields)
        if filing is not None:
            moment = moment_file(actor=user, moment=moment, **filing)
    return moment


@router.delete(
    "/{moment_id}", response={204: None}, summary="Delete a moment (restorable for a while)"
)
def moments_delete(request: HttpRequest, moment_id: uuid.UUID) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    moment_delete(actor=user, moment=moment_for(viewer=user, id=moment_id))
    return Status(204, None)


@router.post(
    "/{moment_id}/restore",
    response={200: MomentOut, 410: Problem},
    summary="Undo a delete",
    description="Brings back a moment deleted in the last few minutes.",
)
def moments_restore(request: HttpRequest, moment_id: uuid.UUID) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    moment = moment_for(viewer=user, id=moment_id, deleted=True)
    try:
        return moment_restore(actor=user, moment=moment)
    except RestoreExpired:
        return problem(410, "This moment was deleted too long ago to bring back.", title="Gone")


def _own_terms(user: Any) -> dict[str, list[TermOut]]:
    own: dict[str, list[TermOut]] = {"needs": [], "contexts": []}
    for entry in own_vocabulary(owner=user):
        own[entry.kind].append(TermOut(code=entry.code, label=entry.label, description=""))
    return own


@vocabulary_router.get("", response=VocabularyOut, summary="The journal's vocabularies")
def vocabulary_read(request: HttpRequest) -> Any:
    return VocabularyOut.build(own=_own_terms(request.auth))  # type: ignore[attr-defined]


@vocabulary_router.post(
    "/own",
    response={200: TermOut, 201: TermOut},
    summary="Add a need or context of your own",
    description="The same words again answer 200 with the entry added the first time.",
)
def vocabulary_add(request: HttpRequest, body: OwnTermIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    entry, created = vocabulary_entry_add(owner=user, kind=body.kind, label=body.label)
    term = TermOut(code=entry.code, label=entry.label, description="")
    return Status(201 if created else 200, term)
