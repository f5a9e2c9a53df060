"""Bodies of the practices API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from tend.api.schemas import OutSchema, Schema
from tend.practices import catalogue
from tend.practices.models import CustomPractice, PracticeSession
from tend.practices.selectors import session_title
from tend.practices.validation import MAX_DURATION, MIN_DURATION, NAME_LIMIT, STEPS_LIMIT

KindCode = Literal[
    "breath", "grounding", "touch", "movement", "coregulation", "reflection", "conversation"
]
StateCode = Literal["connected", "fight", "flight", "freeze", "fawn", "shutdown"]


class PhaseOut(OutSchema):
    index: int = Field(description="0 breathe in, 1 hold, 2 breathe out, 3 rest.")
    name: str
    seconds: float


class PracticeOut(OutSchema):
    code: str = Field(description='A catalogue code, or "custom" for one of your own.')
    custom_id: uuid.UUID | None = Field(description="Your own practice's id, or null.")
    kind: str
    title: str
    summary: str
    steps: list[str]
    suits_states: list[str] = Field(description="Journal state codes it suits.")
    duration_seconds: int
    evidence: str = Field(description="What is known about it, plainly.")
    pattern: list[float] | None = Field(
        description="Seconds per phase (in, hold, out, hold), or null without a pacer."
    )
    phases: list[PhaseOut]

    @staticmethod
    def of(practice: catalogue.Practice) -> dict[str, Any]:
        return {
            "code": practice.code,
            "custom_id": practice.custom_id,
            "kind": practice.kind,
            "title": str(practice.title),
            "summary": str(practice.summary),
            "steps": [str(s) for s in practice.steps],
            "suits_states": list(practice.suits_states),
            "duration_seconds": practice.duration_seconds,
            "evidence": str(practice.evidence),
            "pattern": list(practice.pattern) if practice.pattern else None,
            "phases": practice.phases(),
        }


class PracticeList(OutSchema):
    items: list[PracticeOut]
    next_cursor: str | None = Field(default=None, description="Always null: one page.")


class OwnPracticeIn(Schema):
    name: str = Field(max_length=NAME_LIMIT * 2, description="Only you see it.")
    kind: KindCode = "breath"
    steps: str = Field(default="", max_length=STEPS_LIMIT * 2, description="One step per line.")
    pattern: list[int] = Field(
        default_factory=list,
        description="Whole seconds (in, hold, out, hold); required for a breath practice.",
    )
    duration_seconds: int = Field(default=180, ge=MIN_DURATION, le=MAX_DURATION)
    suits_states: list[StateCode] = Field(default_factory=list)


class OwnPracticePatch(Schema):
    name: str | None = Field(default=None, max_length=NAME_LIMIT * 2)
    kind: KindCode | None = None
    steps: str | None = Field(default=None, max_length=STEPS_LIMIT * 2)
    pattern: list[int] | None = None
    duration_seconds: int | None = Field(default=None, ge=MIN_DURATION, le=MAX_DURATION)
    suits_states: list[StateCode] | None = None

    def fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if v is not None}


class OwnPracticeOut(OutSchema):
    id: uuid.UUID
    name: str
    kind: str
    steps: str
    pattern: list[int]
    duration_seconds: int
    suits_states: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_name(obj: CustomPractice) -> str:
        return obj.name

    @staticmethod
    def resolve_steps(obj: CustomPractice) -> str:
        return obj.steps


class SessionIn(Schema):
    practice_code: str = Field(max_length=40, description='A catalogue code, or "custom".')
    custom_practice_id: uuid.UUID | None = Field(
        default=None, description='Your own practice, when practice_code is "custom".'
    )
    started_at: datetime | None = Field(
        default=None, description="Default: duration_seconds before now (the run ends now)."
    )
    duration_seconds: int = Field(default=0, ge=0, le=86400)
    intensity_before: int | None = Field(default=None, ge=0, le=10)
    intensity_after: int | None = Field(default=None, ge=0, le=10)
    state: StateCode | Literal[""] = ""
    moment_id: uuid.UUID | None = Field(
        default=None, description="One of your moments this run belongs to."
    )


class SessionOut(OutSchema):
    id: uuid.UUID
    practice_code: str
    custom_practice_id: uuid.UUID | None
    title: str
    started_at: datetime
    duration_seconds: int
    intensity_before: int | None
    intensity_after: int | None
    state: str
    moment_id: uuid.UUID | None
    created_at: datetime

    @staticmethod
    def resolve_title(obj: PracticeSession) -> str:
        return session_title(obj)


class OutcomeIn(Schema):
    practice_code: str = Field(max_length=40, description='A catalogue code, or "custom".')
    custom_practice_id: uuid.UUID | None = None
    intensity_before: int = Field(ge=0, le=10)
    intensity_after: int = Field(ge=0, le=10)
    state: StateCode | Literal[""] = ""
    duration_seconds: int = Field(default=0, ge=0, le=86400)
    started_at: datetime | None = None
    moment_id: uuid.UUID | None = Field(
        default=None,
        description="Attach to this moment of yours (one being logged) instead of a new one.",
    )
    words: str = Field(
        default="", max_length=2000, description="A few words about what happened (the cue)."
    )


class OutcomeOut(OutSchema):
    moment_id: uuid.UUID
    session: SessionOut


class PracticeSuggestionOut(OutSchema):
    practice: PracticeOut
    tries: int = Field(description="Rated runs of it in this state (or in all, without one).")
    median_drop: float | None = Field(description="Median of before minus after, or null.")
    from_history: bool = Field(
        description="True when your own history ranked it; false when it suits the state."
    )
