"""Reads of API tokens. A person only ever sees their own."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from tend.api.models import ApiToken
from tend.core.prepared import PreparedRow

if TYPE_CHECKING:
    from tend.accounts.models import User

TOKEN_PREFIX = "tend_"  # noqa: S105 - a marker, not a secret


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """Every token the person created, active or revoked, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_of(*, user: User, token_id: uuid.UUID) -> ApiToken:
    """One of the person's own tokens; someone else's answers 404 exactly like a missing one."""
    token = tokens_of(user=user).filter(id=token_id).first()
    if token is None:
        raise Http404("No such token.")
    return token


# The owner's data key comes along: a write that encrypts then needs no key query. Compiled
# once per process (see tend/core/prepared.py): this look-up runs on every API request.
_active_token_by_hash: PreparedRow[ApiToken] = PreparedRow(
    lambda hashed: (
        ApiToken.objects.select_related("user__data_key")
        .filter(hashed=hashed, revoked_at=None, user__is_active=True)
        # The hash is unique: no ordering to compile or sort by.
        .order_by()[:1]
    )
)


def token_active_for_secret(*, plaintext: str) -> ApiToken | None:
    """The active token whose secret this is, with its (active) owner, or None.

    One indexed SELECT of the token, its owner and the owner's data key, straight from the
    database on every request: a revoked token or a deactivated owner is refused at once, by
    every worker, with nothing cached to clear.
    """
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    return _active_token_by_hash.get(hash_token(plaintext))
