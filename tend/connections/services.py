"""Writes of connections: invitations, connections, labels and settings, and Safety Check.

Shares are written in ``share_services``.

Every write runs in a transaction and records an audit event (ids and codes only). Revoking and
ending are conditional bulk UPDATEs, so they are immediate, idempotent, and fast enough for a
person with hundreds of shares.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tend.api.services import tokens_revoke_all
from tend.connections.models import (
    Connection,
    ConnectionLabel,
    DiscreetSetting,
    Invitation,
    Kind,
    PolyculeSetting,
    Share,
    pair_key,
)
from tend.connections.safety import registered_steps, safety_step
from tend.connections.selectors import (
    active_connection_between,
    connection_other,
    invitation_by_hash,
    invitation_by_token,
    invitation_is_for,
)
from tend.connections.signals import connection_ended, connections_ending
from tend.connections.tokens import hash_secret, new_secret
from tend.core.audit import record
from tend.core.languages import language_for, spoken_to

if TYPE_CHECKING:
    from tend.accounts.models import User

INVITATION_LIFETIME = dt.timedelta(days=7)
LABEL_MAX = 60


def invitation_url(secret: str) -> str:
    # In the query string, not the path: access logs keep paths, never query strings.
    return f"{settings.SITE_URL}/connections/join/?t={secret}"


# --- Invitations ----------------------------------------------------------------------------


def _clean_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose how you are connected.")}, code="invalid_choice")
    return kind


@transaction.atomic
def invitation_create(
    *, actor: User, kind: str, email: str = "", days: int = 7
) -> tuple[Invitation, str]:
    """Create an invitation; return it with the secret for the link (never stored, shown once).

    With an email address, a content-free email goes out after commit: no names, no kind, only
    that someone the person knows invited them, and the link.
    """
    kind = _clean_kind(kind)
    email = email.strip().lower()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"email": _("Enter an email address, such as sam@example.org.")}, code="invalid"
            ) from None
        if email == actor.email.lower():
            raise ValidationError(
                {"email": _("That is your own address. Invite someone else.")}, code="self"
            )
    if not 1 <= days <= 7:
        raise ValidationError(
            {"days": _("An invitation lasts between 1 and 7 days.")}, code="invalid"
        )
    secret = new_secret()
    invitation = Invitation.objects.create(
        inviter=actor,
        kind=kind,
        email=email,
        token_hash=hash_secret(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    record(
        actor=actor,
        action="connections.invitation_created",
        target=invitation,
        meta={"kind": kind, "by_email": bool(email)},
    )
    if email:
        url = invitation_url(secret)
        # The invited person has no account (or none Tend may name): they read the invitation
        # in the language of the one who invites them.
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: _send_invitation_email(email, url, language))
    return invitation, secret


def _send_invitation_email(email: str, url: str, language: str) -> None:
    # No names and no kind: an email may be read by someone else on a shared device.
    with translation.override(language_for(language)):
        _send_invitation_in_language(email, url)


def _send_invitation_in_language(email: str, url: str) -> None:
    send_mail(
        subject=_("Someone you know invited you to connect on Tend"),
        message=_(
            "Someone you know invited you to connect on Tend.\n\n"
            "To see the invitation, open this link (it works for 7 days at most):\n%(url)s\n\n"
            "If you don't expect this, you can ignore this email."
        )
        % {"url": url},
        from_email=None,
        recipient_list=[email],
    )


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if invitation.inviter_id != actor.pk:
        raise Http404
    now = timezone.now()
    changed = Invitation.objects.filter(
        id=invitation.id, revoked_at__isnull=True, accepted_at__isnull=True
    ).update(revoked_at=now)
    if changed:
        invitation.revoked_at = now
        record(actor=actor, action="connections.invitation_revoked", target=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, actor: User, secret: str = "", token_hash: str = "") -> Connection:
    """Accept the invitation ``secret`` stands for: single use (a conditional UPDATE claims it).

    An invitation sent to an email address is accepted only by an account that has confirmed
    that address (``invitation_is_for``); a link invitation by whoever holds the link. The
    page passes the secret's hash, which is all a visitor's session keeps of the link.
    """
    invitation = invitation_by_hash(token_hash) if token_hash else invitation_by_token(secret)
    if invitation.inviter_id == actor.pk:
        raise ValidationError(
            {"invitation": _("This is your own invitation. Send the link to the other person.")},
            code="self",
        )
    if not invitation_is_for(invitation, actor):
        # Sent to one address: only the person who reads that address may take it up, so a
        # forwarded or overheard link connects nobody else.
        raise ValidationError(
            {
                "invitation": _(
                    "This invitation was sent to another email address. Sign in with that "
                    "address to accept it, or ask them for a link invitation."
                )
            },
            code="other_address",
        )
    inviter = invitation.inviter
    if active_connection_between(inviter, actor) is not None:
        raise ValidationError(
            {"invitation": _("You are already connected with this person.")}, code="connected"
        )
    now = timezone.now()
    claimed = Invitation.objects.filter(
        id=invitation.id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(accepted_at=now, accepted_by=actor)
    if not claimed:
        raise Http404
    connection = Connection.objects.create(
        user_a=inviter, user_b=actor, kind=invitation.kind, pair=pair_key(inviter.pk, actor.pk)
    )
    Invitation.objects.filter(id=invitation.id).update(connection=connection)
    record(
        actor=actor,
        action="connections.invitation_accepted",
        target=invitation,
        subject=inviter,
        meta={"connection": connection.id},
    )
    record(
        actor=actor,
        action="connections.connection_created",
        target=connection,
        meta={"kind": connection.kind},
    )
    return connection


# --- Connections ----------------------------------------------------------------------------


def _send_ended_notice(person: User) -> None:
    # Content-free by design: not who, not what. The person sees the rest after signing in.
    with spoken_to(person):
        send_mail(
            subject=_("An update from Tend"),
            message=_("Something changed in your connections on Tend. Sign in to see it:\n%(url)s")
            % {"url": f"{settings.SITE_URL}/connections/"},
            from_email=None,
            recipient_list=[person.email],
        )


def _notify_ended(connections: list[Connection], ended_by: User) -> None:
    for connection in connections:
        connection_ended.send(sender=Connection, connection=connection, ended_by=ended_by)


@transaction.atomic
def connection_end(*, actor: User, connection: Connection, quietly: bool = False) -> Connection:
    """End ``connection`` now; every share between the two is revoked in the same transaction.

    Each person keeps their own private history. Unless ``quietly``, the other person gets a
    content-free email and sees in their list that it ended; quietly, they learn nothing.
    """
    if actor.pk not in (connection.user_a_id, connection.user_b_id):
        raise Http404
    now = timezone.now()
    changed = Connection.objects.filter(id=connection.id, status=Connection.Status.ACTIVE).update(
        status=Connection.Status.ENDED, ended_at=now, ended_by=actor, ended_quietly=quietly
    )
    if not changed:
        return connection
    revoked = Share.objects.filter(connection=connection, revoked_at__isnull=True).update(
        revoked_at=now
    )
    connection.status = Connection.Status.ENDED
    connection.ended_at = now
    connection.ended_by = actor
    connection.ended_quietly = quietly
    connections_ending.send(sender=Connection, connections=[connection], ended_by=actor)
    record(
        actor=actor,
        action="connections.connection_ended",
        target=connection,
        meta={"quietly": quietly, "shares_revoked": revoked},
    )
    if not quietly:
        other = connection_other(connection, actor)
        transaction.on_commit(lambda: _send_ended_notice(other))
    transaction.on_commit(lambda: _notify_ended([connection], actor))
    return connection


@transaction.atomic
def connection_label_set(*, actor: User, connection: Connection, label: str) -> None:
    """Set (or, when blank, remove) the actor's private label for the other person."""
    if actor.pk not in (connection.user_a_id, connection.user_b_id):
        raise Http404
    label = " ".join(label.split())
    if len(label) > LABEL_MAX:
        raise ValidationError(
            {"label": _("Keep the label to %(max)d characters or fewer.") % {"max": LABEL_MAX}},
            code="max_length",
        )
    existing = ConnectionLabel.objects.filter(connection=connection, owner=actor).first()
    if not label:
        if existing:
            existing.delete()
    elif existing:
        existing.label = label
        existing.save(update_fields=["label", "updated_at"])
    else:
        ConnectionLabel.objects.create(connection=connection, owner=actor, label=label)
    record(actor=actor, action="connections.label_set", target=connection)


@transaction.atomic
def polycule_setting_update(
    *, actor: User, appear_to_metamours: str, show_my_connections: bool
) -> PolyculeSetting:
    if appear_to_metamours not in PolyculeSetting.Appear.values:
        raise ValidationError(
            {"appear_to_metamours": _("Choose how you appear to metamours.")},
            code="invalid_choice",
        )
    setting, _created = PolyculeSetting.objects.update_or_create(
        user=actor,
        defaults={
            "appear_to_metamours": appear_to_metamours,
            "show_my_connections": show_my_connections,
        },
    )
    record(
        actor=actor,
        action="connections.polycule_setting_updated",
        meta={"appear": appear_to_metamours, "show_connections": show_my_connections},
    )
    return setting


@transaction.atomic
def discreet_setting_update(*, actor: User, neutral_name: bool) -> DiscreetSetting:
    setting, _created = DiscreetSetting.objects.update_or_create(
        user=actor, defaults={"neutral_name": neutral_name}
    )
    record(actor=actor, action="connections.discreet_updated", meta={"neutral": neutral_name})
    return setting


# --- Safety Check ---------------------------------------------------------------------------


def _cancel_share_notices(shares: Any) -> None:
    """Drop the not-yet-sent notices of ``shares`` (a queryset): they would lead nowhere."""
    from tend.notifications.models import Reminder

    keys = [f"share:{share_id}" for share_id in shares.values_list("id", flat=True)]
    if keys:
        Reminder.objects.filter(dedupe_key__in=keys, sent_at=None, dropped_at=None).update(
            dropped_at=timezone.now(), drop_reason="cancelled"
        )


@safety_step("shares_revoked")
def _revoke_shares(*, user: User) -> int:
    live = Share.objects.filter(owner=user, revoked_at__isnull=True)
    _cancel_share_notices(live)
    return live.update(revoked_at=timezone.now())


@safety_step("invitations_revoked")
def _revoke_invitations(*, user: User) -> int:
    return Invitation.objects.filter(
        inviter=user, revoked_at__isnull=True, accepted_at__isnull=True
    ).update(revoked_at=timezone.now())


@safety_step("connections_ended")
def _end_connections(*, user: User) -> int:
    from tend.connections.selectors import connections_of

    now = timezone.now()
    ids = list(connections_of(viewer=user).values_list("id", flat=True))
    if not ids:
        return 0
    # Shares *to* this person end with the connections too: access both ways stops at once.
    live = Share.objects.filter(connection_id__in=ids, revoked_at__isnull=True)
    _cancel_share_notices(live)
    live.update(revoked_at=now)
    changed = Connection.objects.filter(id__in=ids, status=Connection.Status.ACTIVE).update(
        status=Connection.Status.ENDED, ended_at=now, ended_by=user, ended_quietly=True
    )
    connections_ending.send(
        sender=Connection,
        connections=list(Connection.objects.filter(id__in=ids)),
        ended_by=user,
        safety_check=True,
    )

    def notify() -> None:
        _notify_ended(list(Connection.objects.filter(id__in=ids)), user)

    transaction.on_commit(notify)
    return changed


@safety_step("api_tokens_revoked")
def _revoke_tokens(*, user: User) -> int:
    return tokens_revoke_all(actor=user)


def _end_other_sessions(*, user: User, keep_session_key: str | None) -> int:
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    count = 0
    # A person has a handful of sessions; ``end()`` also clears the session store's entry.
    for session in sessions:
        session.end()
        count += 1
    return count


def safety_check_run(
    *, actor: User, keep_session_key: str | None = None, steps: list[str] | None = None
) -> dict[str, int]:
    """Cut every tie at once: every registered step in one transaction, audited with counts.

    Connections end quietly (the others get no notice). Other sessions are signed out; the one
    running the check (``keep_session_key``) stays signed in so the person sees the result.
    """
    counts: dict[str, int] = {}
    with transaction.atomic():
        for name, step in registered_steps().items():
            if steps is None or name in steps:
                counts[name] = step(user=actor)
        counts["sessions_ended"] = _end_other_sessions(
            user=actor, keep_session_key=keep_session_key
        )
        record(actor=actor, action="connections.safety_check", meta=counts)
    return counts
