from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import Field

from tend.api.schemas import OutSchema, Schema


class CarePlanIn(Schema):
    connection_ids: list[uuid.UUID] = Field(min_length=1, max_length=10)


class TenderPlaceIO(Schema):
    id: str = Field(default="", max_length=40)
    owner: uuid.UUID
    name: str = Field(max_length=200)
    feels_like: str = Field(default="", max_length=2000)
    for_myself: str = Field(default="", max_length=2000)
    ask_for: str = Field(default="", max_length=2000)
    others_offer: str = Field(default="", max_length=2000)


class SectionIO(Schema):
    id: str = Field(default="", max_length=40)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=2000)


class PlanContentIn(Schema):
    places: list[TenderPlaceIO] = Field(default_factory=list, max_length=30)
    sections: list[SectionIO] = Field(default_factory=list, max_length=20)


class AgreementOut(OutSchema):
    user_id: uuid.UUID
    agreed_at: datetime
    withdrawn_at: datetime | None


class VersionOut(OutSchema):
    id: uuid.UUID
    number: int | None
    status: str
    author_id: uuid.UUID
    base_id: uuid.UUID | None
    created_at: datetime
    activated_at: datetime | None
    content: dict[str, Any]
    agreements: list[AgreementOut]


class CarePlanOut(OutSchema):
    id: uuid.UUID
    connection_id: uuid.UUID | None
    party_ids: list[uuid.UUID]
    created_at: datetime
    review_on: date | None
    under_review_since: datetime | None
    active_version: VersionOut | None
