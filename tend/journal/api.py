"""The journal's API: moments (with idempotent logging for offline devices) and vocabularies.

Handlers stay thin: the rules live in validation.py and services.py, the access rules in
selectors.py, and the problem documents in tend/api/errors.py.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Header, Query, Router, Status
from ninja import Schema as NinjaSchema
from pydantic import Field

from tend.api.errors import problem
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import IsoDate, Page, Problem
from tend.journal.filters import (
    SEARCH_MAX_LENGTH,
    SEARCH_SCAN_LIMIT,
    MomentFilter,
    check_filter,
    moments_search,
)
from tend.journal.history import versions_of
from tend.journal.schemas import (
    MomentIn,
    MomentOut,
    MomentPatch,
    MomentVersionOut,
    OwnTermIn,
    TermOut,
    VocabularyOut,
)
from tend.journal.selectors import moment_for, own_vocabulary
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
    theme: uuid.UUID | None = Field(default=None, description="One of your themes' ids.")
    person: uuid.UUID | None = Field(default=None, description="One of your people's ids.")
    context: str | None = Field(
        default=None, max_length=64, description="A context code (shared or your own)."
    )
    date_from: IsoDate | None = Field(
        default=None, alias="from", description="From this day, in your time zone."
    )
    date_to: IsoDate | None = Field(
        default=None, alias="to", description="Up to and including this day, in your time zone."
    )
    intensity_min: int | None = Field(default=None, ge=0, le=10)
    intensity_max: int | None = Field(default=None, ge=0, le=10)
    q: str = Field(
        default="",
        max_length=SEARCH_MAX_LENGTH,
        description=(
            "Words to find in your own text (any case). Searches the most recent "
            f"{SEARCH_SCAN_LIMIT:,} moments that meet the other filters; when there were more, "
            "the answer has the header `Search-Limited: true`."
        ),
    )

    def to_filter(self) -> MomentFilter:
        return MomentFilter(**self.model_dump(exclude={"q"}), q=self.q.strip())


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
            gettext(
                "This Idempotency-Key was already used for a different moment. Use a new key for "
                "a new moment."
            ),
            title=gettext("Conflict"),
        )
    except ValidationError as error:
        if "idempotency_key" not in error.message_dict:
            raise
        # The key travels in a header, so say so rather than point into the body.
        return problem(
            422,
            gettext("The Idempotency-Key header is not usable."),
            errors=[
                {"location": "header.Idempotency-Key", "message": message}
                for message in error.message_dict["idempotency_key"]
            ],
        )
    return Status(201 if created else 200, moment)


@router.get("", response=Page[MomentOut], summary="List your moments")
def moments_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[PageParams],
    filters: Query[MomentFilters],
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    wanted = filters.to_filter()
    try:
        check_filter(viewer=user, filters=wanted)
    except ValidationError as error:
        return problem(
            422,
            gettext("Some filters are not usable; see GET /api/v1/vocabulary and /api/v1/people."),
            errors=[
                {"location": f"query.{ALIASES.get(name, name)}", "message": message}
                for name, messages in error.message_dict.items()
                for message in messages
            ],
        )
    found = moments_search(viewer=user, filters=wanted)
    if found.limited:
        response["Search-Limited"] = "true"
    return paginate(found.moments, page=page, key="occurred_at")


# The filter's own names for what the query string calls "from" and "to".
ALIASES = {"date_from": "from", "date_to": "to"}


@router.get(
    "/{moment_id}/versions",
    response=Page[MomentVersionOut],
    summary="Earlier versions of a moment",
    description="Each edit keeps the moment as it was; the newest earlier version comes first.",
)
def moments_versions(request: HttpRequest, moment_id: uuid.UUID, page: Query[PageParams]) -> Any:
    moment = moment_for(viewer=request.auth, id=moment_id)  # type: ignore[attr-defined]
    return paginate(versions_of(moment=moment), page=page, key="number")


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
        return problem(
            410,
            gettext("This moment was deleted too long ago to bring back."),
            title=gettext("Gone"),
        )


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
