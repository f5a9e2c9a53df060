"""The practices API: the library, one's own practices, practice sessions, the "I'm activated"
outcome and suggestions. Handlers stay thin: writes in services.py, reads in selectors.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Header, Query, Router, Status
from ninja import Schema as NinjaSchema
from pydantic import Field

from tend.api.pagination import PageParams, paginate
from tend.api.schemas import Page
from tend.journal.models import Moment
from tend.journal.selectors import moment_for
from tend.practices import catalogue
from tend.practices.schemas import (
    KindCode,
    OutcomeIn,
    OutcomeOut,
    OwnPracticeIn,
    OwnPracticeOut,
    OwnPracticePatch,
    PracticeList,
    PracticeOut,
    PracticeSuggestionOut,
    SessionIn,
    SessionOut,
    StateCode,
)
from tend.practices.selectors import (
    as_practice,
    custom_practice_for,
    custom_practices_of,
    session_for,
    sessions_of,
)
from tend.practices.services import (
    activation_outcome_save,
    custom_practice_create,
    custom_practice_delete,
    custom_practice_update,
    practice_session_record,
)
from tend.practices.suggest import suggestions_for

router = Router(tags=["practices"])


class LibraryFilters(NinjaSchema):
    kind: KindCode | None = Field(default=None, description="Only practices of this kind.")
    state: StateCode | None = Field(default=None, description="Only practices suiting it.")


@router.get(
    "",
    response=PracticeList,
    summary="List the library and your own practices",
    description="The catalogue (in its order) followed by your own practices. One page.",
)
def practices_list(request: HttpRequest, filters: Query[LibraryFilters]) -> Any:
    practices = [
        *catalogue.PRACTICES,
        *(as_practice(c) for c in custom_practices_of(viewer=request.auth)),  # type: ignore[attr-defined]
    ]
    if filters.kind:
        practices = [p for p in practices if p.kind == filters.kind]
    if filters.state:
        practices = [p for p in practices if filters.state in p.suits_states]
    return {"items": [PracticeOut.of(p) for p in practices], "next_cursor": None}


@router.get("/catalogue/{code}", response=PracticeOut, summary="Read one catalogue practice")
def catalogue_read(request: HttpRequest, code: str) -> Any:
    practice = catalogue.get(code)
    if practice is None:
        raise Http404
    return PracticeOut.of(practice)


# ---- One's own practices ----------------------------------------------------------------


@router.get("/own", response=Page[OwnPracticeOut], summary="List your own practices")
def own_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    owned = custom_practices_of(viewer=request.auth)  # type: ignore[attr-defined]
    return paginate(owned, page=page, key="created_at", descending=False)


@router.post("/own", response={201: OwnPracticeOut}, summary="Add a practice of your own")
def own_create(request: HttpRequest, body: OwnPracticeIn) -> Any:
    practice = custom_practice_create(author=request.auth, **body.model_dump())  # type: ignore[attr-defined]
    return Status(201, practice)


@router.get("/own/{practice_id}", response=OwnPracticeOut, summary="Read one of your practices")
def own_read(request: HttpRequest, practice_id: uuid.UUID) -> Any:
    return custom_practice_for(viewer=request.auth, id=practice_id)  # type: ignore[attr-defined]


@router.patch("/own/{practice_id}", response=OwnPracticeOut, summary="Change your practice")
def own_update(request: HttpRequest, practice_id: uuid.UUID, body: OwnPracticePatch) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    practice = custom_practice_for(viewer=user, id=practice_id)
    return custom_practice_update(actor=user, practice=practice, **body.fields())


@router.delete(
    "/own/{practice_id}",
    response={204: None},
    summary="Delete your practice",
    description="Its sessions stay in your history.",
)
def own_delete(request: HttpRequest, practice_id: uuid.UUID) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    custom_practice_delete(actor=user, practice=custom_practice_for(viewer=user, id=practice_id))
    return Status(204, None)


# ---- Practice sessions ------------------------------------------------------------------


def _own_moment(user: Any, moment_id: uuid.UUID | None) -> Moment | None:
    if moment_id is None:
        return None
    try:
        return moment_for(viewer=user, id=moment_id)
    except Http404:
        # A reference in a body: "not yours" reads as "not there", said as invalid input.
        raise ValidationError({"moment_id": [gettext("Choose one of your own moments.")]}) from None


@router.get("/sessions", response=Page[SessionOut], summary="List your practice sessions")
def sessions_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(sessions_of(viewer=request.auth), page=page, key="started_at")  # type: ignore[attr-defined]


@router.post("/sessions", response={201: SessionOut}, summary="Record a practice session")
def sessions_record(request: HttpRequest, body: SessionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    fields = body.model_dump(exclude={"moment_id"})
    session = practice_session_record(
        author=user, moment=_own_moment(user, body.moment_id), **fields
    )
    return Status(201, session)


@router.get("/sessions/{session_id}", response=SessionOut, summary="Read one practice session")
def sessions_read(request: HttpRequest, session_id: uuid.UUID) -> Any:
    return session_for(viewer=request.auth, id=session_id)  # type: ignore[attr-defined]


# ---- "I'm activated" ----------------------------------------------------------------------


@router.post(
    "/outcomes",
    response={200: OutcomeOut, 201: OutcomeOut},
    summary='Save the outcome of "I\'m activated"',
    description=(
        "Logs an activation moment with `intensity` (before) and `intensity_after`, and records "
        "the practice session linked to it; with `moment_id`, attaches the session to that "
        "moment of yours instead. Send an `Idempotency-Key` so that a retry answers 200 with "
        "what was saved the first time."
    ),
)
def outcomes_save(
    request: HttpRequest,
    body: OutcomeIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if body.moment_id is not None:
        _own_moment(user, body.moment_id)
    moment, session, created = activation_outcome_save(
        author=user,
        idempotency_key=idempotency_key,
        **body.model_dump(),
    )
    return Status(201 if created else 200, {"moment_id": moment.id, "session": session})


class SuggestionQuery(NinjaSchema):
    state: StateCode | None = Field(default=None, description="How you are, if you know.")
    limit: int = Field(default=3, ge=1, le=6)


@router.get(
    "/suggestions",
    response=list[PracticeSuggestionOut],
    summary="Practices to try now",
    description=(
        "Ranked by the median drop in your intensity for this state over practices you rated at "
        "least twice; filled with practices that suit the state when there is too little data."
    ),
)
def suggestions(request: HttpRequest, query: Query[SuggestionQuery]) -> Any:
    found = suggestions_for(viewer=request.auth, state=query.state or "", limit=query.limit)  # type: ignore[attr-defined]
    return [
        {
            "practice": PracticeOut.of(s.practice),
            "tries": s.tries,
            "median_drop": s.median_drop,
            "from_history": s.from_history,
        }
        for s in found
    ]
