"""The API's own endpoints: who is signed in, and their personal access tokens."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from tend.accounts.requests import person_of
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import MeOut, Page, TokenCreatedOut, TokenCreateIn, TokenOut
from tend.api.selectors import token_of, tokens_of
from tend.api.services import token_create, token_revoke

if TYPE_CHECKING:
    from tend.accounts.models import User


# --- The person themself --------------------------------------------------------------------

me_router = Router(tags=["me"])


@me_router.get("", response=MeOut, summary="Who am I")
def me(request: HttpRequest) -> User:
    return person_of(request)


# --- Personal access tokens -----------------------------------------------------------------

tokens_router = Router(tags=["tokens"])


@tokens_router.get("", response=Page[TokenOut], summary="List your tokens")
def tokens_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(tokens_of(user=person_of(request)), page=page)


@tokens_router.post("", response={201: TokenCreatedOut}, summary="Create a token")
def tokens_create(request: HttpRequest, body: TokenCreateIn) -> Status[dict[str, Any]]:
    # A read token never gets here: the auth refuses unsafe methods for it (403).
    token, plaintext = token_create(
        user=person_of(request),
        name=body.name,
        scope=body.scope,
        expires_in_days=body.expires_in_days,
    )
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": plaintext})


@tokens_router.delete("/{token_id}", response={204: None}, summary="Revoke a token")
def tokens_revoke(request: HttpRequest, token_id: uuid.UUID) -> Status[None]:
    token = token_of(user=person_of(request), token_id=token_id)
    token_revoke(actor=person_of(request), token=token)
    return Status(204, None)
