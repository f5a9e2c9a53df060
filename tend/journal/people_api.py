"""``/api/v1/people``: the private labels a person gives the people in their life.

A moment names people by id (``people`` on ``/api/v1/moments``); only one's own people can be
named, and someone else's person id answers as if it did not exist (404 here, 422 on a moment).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from tend.accounts.requests import person_of
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import OutSchema, Page, Schema
from tend.journal.people import people_of, person_add, person_delete, person_for, person_rename
from tend.journal.validation import LABEL_LIMIT

if TYPE_CHECKING:
    from tend.journal.people_models import Person

router = Router(tags=["people"])


class PersonIn(Schema):
    label: str = Field(
        min_length=1,
        max_length=LABEL_LIMIT,
        description="How you call them, privately: a name, a nickname, an initial.",
    )


class PersonOut(OutSchema):
    id: uuid.UUID
    label: str
    created_at: datetime


@router.get("", response=Page[PersonOut], summary="List your people")
def people_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    people = people_of(owner=person_of(request))
    return paginate(people, page=page, key="created_at", descending=False)


@router.post(
    "",
    response={200: PersonOut, 201: PersonOut},
    summary="Add someone",
    description="The same label again answers 200 with the person added the first time.",
)
def people_add(request: HttpRequest, body: PersonIn) -> Status[Person]:
    person, created = person_add(owner=person_of(request), label=body.label)
    return Status(201 if created else 200, person)


@router.get("/{person_id}", response=PersonOut, summary="Read one of your people")
def people_read(request: HttpRequest, person_id: uuid.UUID) -> Person:
    return person_for(owner=person_of(request), id=person_id)


@router.patch("/{person_id}", response=PersonOut, summary="Rename someone")
def people_rename(request: HttpRequest, person_id: uuid.UUID, body: PersonIn) -> Person:
    user = person_of(request)
    return person_rename(actor=user, person=person_for(owner=user, id=person_id), label=body.label)


@router.delete(
    "/{person_id}",
    response={204: None},
    summary="Forget someone",
    description="Their label is deleted and your moments no longer name them.",
)
def people_delete(request: HttpRequest, person_id: uuid.UUID) -> Status[None]:
    user = person_of(request)
    person_delete(actor=user, person=person_for(owner=user, id=person_id))
    return Status(204, None)
