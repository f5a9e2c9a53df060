"""The themes API: list, name, read, rename or archive, delete, and suggest for a cue.

Suggestions are asked for with POST and the cue in the body, not ``GET ?cue=``: a query string
ends up in access logs, proxies and browser history, and a cue is what a person wrote.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from tend.accounts.requests import person_of
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import OutSchema, Page, Schema
from tend.journal.suggest import suggest_themes
from tend.journal.themes import (
    NAME_LIMIT,
    theme_archive,
    theme_create,
    theme_delete,
    theme_for,
    theme_rename,
    themes_of,
)
from tend.journal.validation import TEXT_LIMITS

if TYPE_CHECKING:
    from tend.journal.models import Theme

router = Router(tags=["themes"])


class ThemeIn(Schema):
    name: str = Field(min_length=1, max_length=NAME_LIMIT, description="A few words of your own.")


class ThemePatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=NAME_LIMIT)
    archived: bool | None = Field(
        default=None, description="Archived themes keep their moments but take no new ones."
    )


class ThemeOut(OutSchema):
    id: uuid.UUID
    name: str
    archived: bool
    moment_count: int = Field(description="Moments filed under it (deleted ones not counted).")
    created_at: datetime
    updated_at: datetime


class SuggestIn(Schema):
    cue: str = Field(max_length=TEXT_LIMITS["cue"], description="The cue as typed so far.")
    moment: uuid.UUID | None = Field(
        default=None, description="The moment being edited, left out of the comparison."
    )


class ThemeRef(Schema):
    id: uuid.UUID
    name: str


class SuggestionOut(OutSchema):
    theme: ThemeRef
    score: float = Field(description="Cosine similarity, 0 to 1.")
    shared_words: list[str] = Field(description="Words the cue shares with the theme's moments.")
    moment_count: int = Field(description="How many of the theme's moments share those words.")
    explanation: str


class SuggestionsOut(OutSchema):
    suggestions: list[SuggestionOut]


@router.get("", response=Page[ThemeOut], summary="List your themes")
def themes_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    themes = themes_of(viewer=person_of(request))
    return paginate(themes, page=page, key="created_at", descending=False)


@router.post("", response={201: ThemeOut}, summary="Name a new theme")
def themes_create(request: HttpRequest, body: ThemeIn) -> Status[Theme]:
    user = person_of(request)
    theme = theme_create(actor=user, name=body.name)
    return Status(201, theme_for(viewer=user, id=theme.id))


@router.post(
    "/suggest",
    response=SuggestionsOut,
    summary="Suggest themes for a cue",
    description=(
        "Compares the cue with your own earlier cues (character n-gram TF-IDF, cosine "
        "similarity) and answers the themes that resemble it, best first, each with the words "
        "that explain why. Nobody else's words take part. Sent as POST so that the cue stays "
        "out of URLs and logs."
    ),
)
def themes_suggest(request: HttpRequest, body: SuggestIn) -> dict[str, Any]:
    user = person_of(request)
    suggestions = suggest_themes(viewer=user, cue=body.cue, exclude_moment=body.moment)
    return {
        "suggestions": [
            {
                "theme": {"id": s.theme.id, "name": s.theme.name},
                "score": s.score,
                "shared_words": list(s.shared_words),
                "moment_count": s.moment_count,
                "explanation": s.explanation,
            }
            for s in suggestions
        ]
    }


@router.get("/{theme_id}", response=ThemeOut, summary="Read a theme")
def themes_read(request: HttpRequest, theme_id: uuid.UUID) -> Theme:
    return theme_for(viewer=person_of(request), id=theme_id)


@router.patch("/{theme_id}", response=ThemeOut, summary="Rename or archive a theme")
def themes_update(request: HttpRequest, theme_id: uuid.UUID, body: ThemePatch) -> Theme:
    user = person_of(request)
    theme = theme_for(viewer=user, id=theme_id)
    with transaction.atomic():
        if body.name is not None:
            theme_rename(actor=user, theme=theme, name=body.name)
        if body.archived is not None:
            theme_archive(actor=user, theme=theme, archived=body.archived)
    return theme_for(viewer=user, id=theme_id)


@router.delete(
    "/{theme_id}",
    response={204: None},
    summary="Delete a theme",
    description="Its moments stay in your journal, filed under no theme.",
)
def themes_delete(request: HttpRequest, theme_id: uuid.UUID) -> Status[None]:
    user = person_of(request)
    theme_delete(actor=user, theme=theme_for(viewer=user, id=theme_id))
    return Status(204, None)
