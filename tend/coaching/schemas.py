"""Bodies of the coaching API (tend/coaching/api.py). Class names are unique across the API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from tend.api.schemas import OutSchema, Schema
from tend.coaching.models import NOTE_MAX, TEXT_LIMITS


class WorksheetOut(OutSchema):
    id: uuid.UUID | None = Field(
        description="Null until first saved: then a draft from the intake."
    )
    call: uuid.UUID
    saved: bool
    moment_cue: str
    moment_states: list[str] = Field(description="Codes of the journal's states vocabulary.")
    moment_region: str = Field(description="A body region code, or empty.")
    moment_intensity: int | None
    cues: str
    themes: list[str] = Field(description="One theme per item.")
    regions: list[str]
    body_notes: str
    states: list[str] = Field(description="The protective pattern: fight, flight, freeze, …")
    pattern_notes: str
    story: str
    part: str
    needs: list[str] = Field(description="Codes of the journal's needs vocabulary.")
    own_needs: list[str] = Field(description="Needs in the person's words, one per item.")
    people: list[str] = Field(description="People as the person named them, one per item.")
    helps: str
    updated_at: datetime | None


class WorksheetIn(Schema):
    """Only the fields sent change. Lists of words are sent as lists (one item each)."""

    moment_cue: str | None = Field(default=None, max_length=TEXT_LIMITS["moment_cue"])
    moment_states: list[str] | None = None
    moment_region: str | None = None
    moment_intensity: int | None = Field(default=None, ge=0, le=10)
    cues: str | None = Field(default=None, max_length=TEXT_LIMITS["cues"])
    themes: list[str] | None = None
    regions: list[str] | None = None
    body_notes: str | None = Field(default=None, max_length=TEXT_LIMITS["body_notes"])
    states: list[str] | None = None
    pattern_notes: str | None = Field(default=None, max_length=TEXT_LIMITS["pattern_notes"])
    story: str | None = Field(default=None, max_length=TEXT_LIMITS["story"])
    part: str | None = Field(default=None, max_length=TEXT_LIMITS["part"])
    needs: list[str] | None = None
    own_needs: list[str] | None = None
    people: list[str] | None = None
    helps: str | None = Field(default=None, max_length=TEXT_LIMITS["helps"])


class HandOverSentOut(OutSchema):
    id: uuid.UUID
    sent_at: datetime
    expires_at: datetime


class MapItemOut(OutSchema):
    key: str = Field(description="Send it back in items to bring this in.")
    kind: Literal["moment", "story", "part", "helps", "theme", "need", "person"]
    words: str
    brought: bool


class HandedMapOut(OutSchema):
    id: uuid.UUID
    connection: uuid.UUID
    practitioner: str
    brought_at: datetime | None
    items: list[MapItemOut]


class BringIn(Schema):
    items: list[str] = Field(max_length=100, description="Keys of the items to bring in.")
    file_under: str = Field(
        default="", max_length=40, description="A theme item's key to file the moment under."
    )


class BroughtOut(OutSchema):
    brought: list[str] = Field(description="The keys brought in by this request.")
    map: HandedMapOut


class ClientShareOut(OutSchema):
    id: uuid.UUID
    scope: str


class ClientOut(OutSchema):
    connection: uuid.UUID
    name: str
    connected_at: datetime
    archived: bool
    next_call: uuid.UUID | None
    next_call_start: datetime | None
    shares: list[ClientShareOut] = Field(description="Only what the client shares with you now.")
    worksheets: list[uuid.UUID] = Field(description="Your worksheets handed to them.")


class ArchiveIn(Schema):
    archived: bool = True


class SessionNoteOut(OutSchema):
    id: uuid.UUID
    client_connection: uuid.UUID | None
    call: uuid.UUID | None
    text: str
    created_at: datetime
    updated_at: datetime


class SessionNoteIn(Schema):
    text: str = Field(max_length=NOTE_MAX)
    call: uuid.UUID | None = Field(default=None, description="One of your calls with them.")


class SessionNoteEditIn(Schema):
    text: str = Field(max_length=NOTE_MAX)


class GrantOut(OutSchema):
    """A live share a client grants you: what it is, never what it shows."""

    id: uuid.UUID
    scope: str = Field(description="trigger_map, weekly_summary, theme or moment.")
    theme_id: uuid.UUID | None
    moment_id: uuid.UUID | None
    include_stories: bool = Field(description="A weekly summary: whether stories come along.")
    created_at: datetime
    expires_at: datetime | None
