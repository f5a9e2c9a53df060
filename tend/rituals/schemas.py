from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from tend.api.schemas import LocalTime, OutSchema, Schema


class RitualIn(Schema):
    kind: Literal["checkin", "affirmation", "touchpoint", "repair"]
    connection_id: uuid.UUID | None = None
    words: str = Field(default="", max_length=300)
    rrule: str = Field(max_length=300, examples=["FREQ=WEEKLY;BYDAY=SU"])
    start_date: date
    start_time: LocalTime
    duration_minutes: int = Field(default=30, ge=1, le=1440)
    basis: Literal["together", "each_local"] = "together"


class RitualOut(OutSchema):
    id: uuid.UUID
    kind: str
    connection_id: uuid.UUID | None
    owner_id: uuid.UUID
    words: str
    rrule: str
    start_date: date
    start_time: LocalTime
    time_zone: str
    duration_minutes: int
    basis: str
    created_at: datetime


class OccurrenceOut(OutSchema):
    original: datetime
    start: datetime
    end: datetime
    state: str = Field(description='"" (nothing marked), done, skipped or moved')


class OccurrenceMarkIn(Schema):
    original: datetime = Field(description="The occurrence's computed start, as listed.")
    state: Literal["", "done", "skipped", "moved"]
    moved_to: datetime | None = None


class CheckInStartIn(Schema):
    connection_id: uuid.UUID


class CheckInAnswerIn(Schema):
    appreciations: str = Field(default="", max_length=4000)
    went_well: str = Field(default="", max_length=4000)
    coming_up: str = Field(default="", max_length=4000)
    tender: str = Field(default="", max_length=4000)
    careplan_review: str = Field(default="", max_length=4000)
    action_items: list[str] = Field(default_factory=list, max_length=3)


class AnswerOut(OutSchema):
    author_id: uuid.UUID
    appreciations: str
    went_well: str
    coming_up: str
    tender: str
    careplan_review: str
    submitted_at: datetime


class ActionItemOut(OutSchema):
    id: uuid.UUID
    author_id: uuid.UUID
    text: str
    created_at: datetime
    done_at: datetime | None


class CheckInOut(OutSchema):
    id: uuid.UUID
    connection_id: uuid.UUID
    created_at: datetime
    revealed_at: datetime | None
    answers: list[AnswerOut] = Field(
        description="Your own answer; everyone's once all have answered."
    )
    open_action_items: list[ActionItemOut]
