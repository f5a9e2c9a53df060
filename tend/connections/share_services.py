"""Writes of shares: what a person shares with a connection, revoking it, and its views.

Every write runs in a transaction and records an audit event (ids and codes only). Revoking is
a conditional bulk UPDATE, so it is immediate and idempotent. Safety Check revokes shares by
its own step in ``services``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.connections.models import Connection, Kind, Share
from tend.core.audit import record
from tend.journal.models import Moment, Theme
from tend.notifications.services import notify, reminders_cancel

if TYPE_CHECKING:
    from tend.accounts.models import User

NOTE_MAX = 500


@transaction.atomic
def share_create(
    *,
    actor: User,
    connection: Connection,
    scope: str,
    moment_id: uuid.UUID | str | None = None,
    theme_id: uuid.UUID | str | None = None,
    note: str = "",
    expires_at: dt.datetime | None = None,
    include_stories: bool = False,
) -> Share:
    """Share one scope of the actor's own data with the other person of ``connection``."""
    if not connection.is_active or actor.pk not in (connection.user_a_id, connection.user_b_id):
        raise Http404
    if scope not in Share.Scope.values:
        raise ValidationError({"scope": _("Choose what to share.")}, code="invalid_choice")
    fields: dict[str, Any] = {}
    if scope == Share.Scope.MOMENT:
        wanted = _maybe_uuid(moment_id)
        moment = (
            Moment.objects.filter(id=wanted, author=actor, deleted_at__isnull=True).first()
            if wanted
            else None
        )
        if moment is None:
            raise ValidationError({"moment": _("Choose one of your moments.")}, code="invalid")
        fields["moment"] = moment
    elif scope == Share.Scope.THEME:
        wanted = _maybe_uuid(theme_id)
        theme = Theme.objects.filter(id=wanted, owner=actor).first() if wanted else None
        if theme is None:
            raise ValidationError({"theme": _("Choose one of your themes.")}, code="invalid")
        fields["theme"] = theme
    elif scope == Share.Scope.PRACTICE_PROGRESS and not (
        connection.kind == Kind.PRACTITIONER and connection.user_b_id == actor.pk
    ):
        # Progress is the sessions of practices a practitioner suggested: it goes from a client
        # to the practitioner of that connection, never elsewhere.
        raise ValidationError(
            {"scope": _("Practice progress is shared with the practitioner who suggested them.")},
            code="invalid_choice",
        )
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note to %(max)d characters or fewer.") % {"max": NOTE_MAX}},
            code="max_length",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {"expires_at": _("Choose a time in the future, or no end.")}, code="past"
        )
    share = Share.objects.create(
        owner=actor,
        recipient_id=connection.other(actor.pk),
        connection=connection,
        scope=scope,
        note=note,
        expires_at=expires_at,
        include_stories=include_stories and scope == Share.Scope.WEEKLY_SUMMARY,
        **fields,
    )
    record(
        actor=actor,
        action="connections.share_created",
        target=share,
        meta={"scope": scope, "connection": connection.id, "expires": expires_at is not None},
    )
    # Content-free ("someone you are connected with shared something"), through the person's
    # own notification settings and quiet hours.
    notify(
        recipient=share.recipient,
        code="share.new",
        key=f"share:{share.id}",
        link=f"/connections/shared/{share.id}/",
    )
    return share


def _maybe_uuid(value: uuid.UUID | str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


@transaction.atomic
def share_revoke(*, actor: User, share: Share) -> Share:
    if share.owner_id != actor.pk:
        raise Http404
    now = timezone.now()
    if Share.objects.filter(id=share.id, revoked_at__isnull=True).update(revoked_at=now):
        share.revoked_at = now
        record(actor=actor, action="connections.share_revoked", target=share)
        # A notice not yet sent would only lead to a page that is no longer there.
        reminders_cancel(key_prefix=f"share:{share.id}")
    return share


@transaction.atomic
def shares_revoke_all(*, actor: User) -> int:
    count = Share.objects.filter(owner=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        record(actor=actor, action="connections.shares_revoked_all", meta={"count": count})
    return count


def share_viewed(
    *,
    viewer: User,
    share: Share,
    moment_id: uuid.UUID | None = None,
    period: dict[str, Any] | None = None,
) -> None:
    """Record that the recipient opened a shared item, so the owner can see who viewed what.

    ``period`` is the span read (``{"days": 30, "from": "2026-11-06", "to": "2026-12-05"}`` for
    a map, ``{"week": 1, ...}`` for a summary): numbers and ISO dates, never what it showed.
    """
    meta: dict[str, Any] = {"scope": share.scope}
    if moment_id is not None:
        meta["moment"] = moment_id
    if period:
        meta.update(period)
    record(actor=viewer, action="share.viewed", target=share, subject=share.owner, meta=meta)
