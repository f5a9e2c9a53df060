"""Writes of API tokens: create (the secret is shown once) and revoke."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.api.models import ApiToken, TokenScope
from tend.api.selectors import TOKEN_PREFIX, hash_token
from tend.core.audit import record

if TYPE_CHECKING:
    from tend.accounts.models import User

# How stale ``last_used_at`` may get: writing it on every request would turn each read into a
# write, so it moves at most once a minute.
LAST_USED_RESOLUTION = timedelta(minutes=1)
DISPLAY_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name, such as “Phone shortcut”.")}, code="required"
        )
    if len(name) > ApiToken.NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("Keep the name to %(max)d characters or fewer.")
             % {"max": ApiToken.NAME_MAX_LENGTH}},
            code="max_length",
        )
    return name


def _clean_scope(scope: str) -> str:
    if scope not in TokenScope.values:
        raise ValidationError(
            {"scope": _("Choose either read only or read and write.")}, code="invalid_choice"
        )
    return scope


@transaction.atomic
def token_create(*, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with its secret, never stored nor shown again."""
    name = _clean_name(name)
    scope = _clean_scope(scope)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=plaintext[:DISPLAY_PREFIX_LENGTH],
        hashed=hash_token(plaintext),
    )
    record(actor=user, action="api.token_created", target=token, meta={"scope": scope})
    return token, plaintext


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once. Revoking an already revoked token changes nothing."""
    if token.user_id != actor.pk:
        # Callers fetch tokens through ``token_of``; this guards a caller that did not.
        raise PermissionError("Only the owner can revoke a token.")
    now = timezone.now()
    changed = ApiToken.objects.filter(id=token.id, revoked_at=None).update(revoked_at=now)
    if changed:
        token.revoked_at = now
        record(actor=actor, action="api.token_revoked", target=token, subject=token.user)
    else:
        token.refresh_from_db(fields=["revoked_at"])
    return token


@transaction.atomic
def tokens_revoke_all(*, actor: User) -> int:
    """Revoke every active token of ``actor`` at once (Safety Check, sign out everywhere)."""
    now = timezone.now()
    changed = ApiToken.objects.filter(user=actor, revoked_at=None).update(revoked_at=now)
    if changed:
        record(actor=actor, action="api.tokens_revoked_all", meta={"count": changed})
    return changed


def token_touch(*, token: ApiToken) -> None:
    """Note that ``token`` was used, at most once a minute (a conditional UPDATE, no read)."""
    now = timezone.now()
    if token.last_used_at is not None and token.last_used_at >= now - LAST_USED_RESOLUTION:
        return  # noted less than a minute ago: no query at all
    ApiToken.objects.filter(id=token.id).filter(
        Q(last_used_at=None) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
