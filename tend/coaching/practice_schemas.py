"""Bodies of the practice API (tend/coaching/practice_api.py): the dashboard's counts and the
summaries after a call. Class names are unique across the API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from tend.api.schemas import OutSchema, Schema
from tend.coaching.models import SUMMARY_MAX


class SharedClientOut(OutSchema):
    connection: uuid.UUID
    name: str


class PracticeCountsOut(OutSchema):
    since: datetime | None = Field(description="Your last look; null before the first.")
    upcoming: int = Field(description="Calls booked in the next 7 days.")
    next_call: uuid.UUID | None
    next_call_start: datetime | None
    new_bookings: int = Field(description="Calls ahead booked since your last look.")
    shared: list[SharedClientOut] = Field(
        description="Clients who shared something new since your last look: who, never what."
    )
    waiting_maps: int = Field(description="Handed-over maps not yet accepted.")


class CallSummaryOut(OutSchema):
    id: uuid.UUID
    call: uuid.UUID
    client_connection: uuid.UUID | None
    text: str
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None = Field(description="Null while a draft; a sent summary is final.")


class CallSummaryIn(Schema):
    text: str = Field(max_length=SUMMARY_MAX)


class ReceivedSummaryOut(OutSchema):
    id: uuid.UUID
    sender_name: str
    call_start: datetime
    text: str
    received_at: datetime
    read_at: datetime | None
