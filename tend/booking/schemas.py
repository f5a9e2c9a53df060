"""Bodies of the booking API (tend/booking/api.py).

What a visitor sees never holds the intake: the booker wrote it for the practitioner, so only
the practitioner's own endpoints (``CallOut``) answer it.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field

from tend.api.schemas import IsoDateTime, OutSchema, Schema
from tend.booking.intake import ANSWER_MAX, CUE_MAX, WHAT_BRINGS_MAX
from tend.booking.services import NAME_MAX, NOTES_MAX, PRONOUNS_MAX


class PublicCallTypeOut(OutSchema):
    id: uuid.UUID
    name: str
    duration_minutes: int
    location_kind: str
    cancellation_note: str
    questions: list[dict[str, Any]] = Field(
        description="The practitioner's own questions; answer each as intake.questions[key]."
    )
    consents: list[str] = Field(
        description="Statements the booker must tick; send their indexes as consents."
    )


class PublicProfileOut(OutSchema):
    slug: str
    public_name: str
    pronouns: str
    bio: str
    approach: str
    languages: list[str]
    time_zone: str
    call_types: list[PublicCallTypeOut]


class SlotOut(OutSchema):
    start: str = Field(description="The start in UTC, such as 2026-05-01T08:30:00Z.")
    local: str = Field(description="The same instant on the visitor's clock, with its offset.")
    words: str = Field(description="The start in words, in the visitor's zone.")


class SlotsOut(OutSchema):
    zone: str
    slots: list[SlotOut]


class IntakeIn(Schema):
    """The default intake, in the seed's words, and the practitioner's own questions."""

    relationship: str = Field(
        max_length=20,
        description="monogamous, monogamish, open, polyamorous, solo, exploring, other, unsaid.",
    )
    what_brings: str = Field(max_length=WHAT_BRINGS_MAX)
    cue: str = Field(default="", max_length=CUE_MAX, description="A recent moment: its cue.")
    states: list[str] = Field(default_factory=list, max_length=20)
    region: str = Field(default="", max_length=40)
    intensity: int | None = Field(default=None, ge=0, le=10)
    questions: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Answers to the call type's own questions, by their key.",
    )

    def answers(self) -> dict[str, Any]:
        """As ``clean_intake`` reads them (the page's form sends the same keys)."""
        data: dict[str, Any] = self.model_dump(exclude={"questions"})
        for key, value in self.questions.items():
            if isinstance(value, str) and len(value) > ANSWER_MAX:
                value = value[: ANSWER_MAX + 1]  # still over: clean_intake says so
            data[f"q_{key}"] = value
        return data


class BookingIn(Schema):
    start: IsoDateTime = Field(description="One of the free starts, with its offset or in UTC.")
    name: str = Field(max_length=NAME_MAX)
    email: str = Field(max_length=254)
    zone: str = Field(max_length=64, description="The booker's IANA time zone.")
    pronouns: str = Field(default="", max_length=PRONOUNS_MAX)
    language: str = Field(default="", max_length=8)
    intake: IntakeIn
    consents: list[int] = Field(
        default_factory=list, max_length=50, description="Indexes of the statements ticked."
    )
    website: str = Field(default="", max_length=200, description="Leave empty.")


class ManagedPractitionerOut(OutSchema):
    public_name: str
    slug: str


class ManagedBookingOut(OutSchema):
    """A booking as its booker sees it through the manage secret: when, with whom, where."""

    start: str
    end: str
    zone: str
    when: str
    status: str
    name: str
    call_type: str
    duration_minutes: int
    location_kind: str
    location: str
    cancellation_note: str
    practitioner: ManagedPractitionerOut


class BookingCreatedOut(ManagedBookingOut):
    manage_secret: str = Field(
        description=(
            "Opens this booking in the manage endpoints (send it as the Booking-Secret header). "
            "Keep it: it is shown once, and the emailed link carries it."
        )
    )


class MoveIn(Schema):
    start: IsoDateTime = Field(description="Another free start, with its offset or in UTC.")


class CancelIn(Schema):
    reason: str = Field(default="", max_length=500)


class CallListOut(OutSchema):
    id: uuid.UUID
    call_type_id: uuid.UUID
    call_type: str
    start: str
    end: str
    status: str
    booker_name: str
    booker_zone: str


class ConsentOut(OutSchema):
    text: str
    at: str


class CallOut(CallListOut):
    booker_email: str
    booker_pronouns: str
    intake: dict[str, Any] = Field(description="What the booker answered, for you alone.")
    consents: list[ConsentOut]
    notes: str
    cancelled_by: str
    cancel_reason: str


class MarkIn(Schema):
    status: Literal["attended", "no_show", "confirmed"]


class NotesIn(Schema):
    notes: str = Field(max_length=NOTES_MAX)
