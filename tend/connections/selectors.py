"""Reads of connections and of whatever one person shared with another: the one access layer.

Every read of another person's data goes through a ``*_visible_to(*, viewer, ...)`` selector
here. Each checks, in the query itself, that the connection is active, the share not revoked and
not expired, so revoking a share or ending a connection takes effect with the very next request.
"Not yours", "no longer yours" and "does not exist" all raise the same ``Http404``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tend.accounts.models import User
from tend.connections.models import (
    Connection,
    ConnectionLabel,
    Invitation,
    Kind,
    PolyculeSetting,
    Share,
)
from tend.journal.models import Moment, Theme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Viewer = User | AnonymousUser


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def _involving(viewer: Viewer) -> Q:
    return Q(user_a=viewer) | Q(user_b=viewer)


# --- Connections ----------------------------------------------------------------------------


def connections_of(*, viewer: Viewer) -> QuerySet[Connection]:
    """The viewer's active connections, newest first."""
    if not viewer.is_authenticated:
        return Connection.objects.none()
    return (
        Connection.objects.filter(_involving(viewer), status=Connection.Status.ACTIVE)
        .select_related("user_a", "user_b")
        .order_by("-created_at", "id")
    )


def ended_connections_of(*, viewer: Viewer) -> QuerySet[Connection]:
    """Connections that ended, as the viewer may know of them.

    One the other person ended quietly does not show: they chose that the viewer learns nothing.
    """
    if not viewer.is_authenticated:
        return Connection.objects.none()
    return (
        Connection.objects.filter(_involving(viewer), status=Connection.Status.ENDED)
        .exclude(Q(ended_quietly=True) & ~Q(ended_by=viewer))
        .select_related("user_a", "user_b")
        .order_by("-ended_at", "id")
    )


def connection_for(*, viewer: Viewer, id: uuid.UUID | str) -> Connection:
    """One active connection of the viewer, or Http404."""
    connection = connections_of(viewer=viewer).filter(id=_uuid(id)).first()
    if connection is None:
        raise Http404
    return connection


def are_connected(a: Viewer, b: Viewer) -> bool:
    if not (a.is_authenticated and b.is_authenticated) or a.pk == b.pk:
        return False
    return (
        Connection.objects.filter(status=Connection.Status.ACTIVE)
        .filter(Q(user_a=a, user_b=b) | Q(user_a=b, user_b=a))
        .exists()
    )


def active_connection_between(a: User, b: User) -> Connection | None:
    return (
        Connection.objects.filter(status=Connection.Status.ACTIVE)
        .filter(Q(user_a=a, user_b=b) | Q(user_a=b, user_b=a))
        .first()
    )


def connection_other(connection: Connection, viewer: Viewer) -> User:
    """The person on the other side of ``connection`` from ``viewer``."""
    if connection.user_a_id == viewer.pk:
        return connection.user_b
    if connection.user_b_id == viewer.pk:
        return connection.user_a
    raise Http404


def labels_of(*, viewer: Viewer) -> dict[uuid.UUID, str]:
    """Connection id to the viewer's own private label for the other person (decrypted)."""
    if not viewer.is_authenticated:
        return {}
    return {
        label.connection_id: label.label
        for label in ConnectionLabel.objects.filter(owner=viewer).select_related("owner__data_key")
    }


def display_name(user: User) -> str:
    """How a person appears to others: their chosen name, else the part of the email before @."""
    return user.display_name or user.email.split("@", 1)[0]


def polycule_setting_of(*, user: User) -> PolyculeSetting:
    setting = PolyculeSetting.objects.filter(user=user).first()
    return setting or PolyculeSetting(user=user)


@dataclass(frozen=True)
class PolyculeNode:
    id: str
    name: str
    kind: str  # how this person is connected to the one they hang off ("" if not shown)
    via: str | None  # None for the viewer's own connections; else the connection's node id
    label: str = ""  # the viewer's private label, for direct connections only


@dataclass(frozen=True)
class Polycule:
    me: str
    nodes: list[PolyculeNode]


def polycule_of(*, viewer: User) -> Polycule:
    """The viewer's connections and, one hop out, theirs where both people consented.

    Bob's other connection Dave appears in Alice's view only if Bob chose to show his
    connections and Dave chose to appear to metamours; Dave's kind shows only if he chose that.
    """
    labels = labels_of(viewer=viewer)
    direct = list(connections_of(viewer=viewer))
    nodes: list[PolyculeNode] = []
    direct_ids: set[uuid.UUID] = {viewer.pk}
    for c in direct:
        other = connection_other(c, viewer)
        direct_ids.add(other.pk)
        nodes.append(
            PolyculeNode(
                id=str(other.pk),
                name=display_name(other),
                kind=c.get_kind_display(),
                via=None,
                label=labels.get(c.id, ""),
            )
        )
    sharers = set(
        PolyculeSetting.objects.filter(
            user__in=[uuid.UUID(n.id) for n in nodes], show_my_connections=True
        ).values_list("user_id", flat=True)
    )
    if sharers:
        onward = (
            Connection.objects.filter(status=Connection.Status.ACTIVE)
            .filter(Q(user_a__in=sharers) | Q(user_b__in=sharers))
            .select_related("user_a", "user_b")
        )
        appear = dict(
            PolyculeSetting.objects.exclude(
                appear_to_metamours=PolyculeSetting.Appear.HIDDEN
            ).values_list("user_id", "appear_to_metamours")
        )
        seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
        for c in onward:
            for hub, far in ((c.user_a, c.user_b), (c.user_b, c.user_a)):
                if hub.pk not in sharers or far.pk in direct_ids or (hub.pk, far.pk) in seen:
                    continue
                if far.pk not in appear:
                    continue
                seen.add((hub.pk, far.pk))
                show_kind = appear[far.pk] == PolyculeSetting.Appear.NAME_AND_KIND
                nodes.append(
                    PolyculeNode(
                        id=str(far.pk),
                        name=display_name(far),
                        kind=c.get_kind_display() if show_kind else "",
                        via=str(hub.pk),
                    )
                )
    return Polycule(me=str(viewer.pk), nodes=nodes)


# --- Invitations ----------------------------------------------------------------------------


def invitations_of(*, viewer: Viewer) -> QuerySet[Invitation]:
    """The viewer's own open invitations (not accepted, not revoked, not expired)."""
    if not viewer.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        inviter=viewer,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at", "id")


def invitation_for(*, viewer: Viewer, id: uuid.UUID | str) -> Invitation:
    """One of the viewer's own open invitations, or Http404."""
    invitation = invitations_of(viewer=viewer).filter(id=_uuid(id)).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(token: str) -> Invitation:
    """The open invitation a link's secret stands for, or Http404 (used, revoked, expired)."""
    from tend.connections.tokens import hash_secret

    return invitation_by_hash(hash_secret(token))


def invitation_by_hash(token_hash: str) -> Invitation:
    """The open invitation whose secret hashes to ``token_hash`` (what a visitor's session
    keeps of a link they opened), or Http404."""
    invitation = (
        Invitation.objects.filter(
            token_hash=token_hash,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("inviter")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    """Whether ``user`` may accept ``invitation``: anyone holding a link invitation's link;
    for one sent to an email address, only an account with that address, confirmed.

    Except between a practitioner and a client, where the link is enough: a person often books a
    call with one address and keeps their journal under another (issue 14: "signing up with any
    email"), and what such an invitation carries (a worksheet from the call) is theirs already.
    """
    if not invitation.email or invitation.kind == Kind.PRACTITIONER:
        return True
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


# --- Shares: the owner's side ---------------------------------------------------------------


def _live(now: object = None) -> Q:
    now = now or timezone.now()
    return (
        Q(revoked_at__isnull=True, connection__status=Connection.Status.ACTIVE)
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        # A moment its owner deleted is gone for everyone at once, even its time in a list;
        # "Undo" brings the share back with it.
        & (Q(moment__isnull=True) | Q(moment__deleted_at__isnull=True))
    )


def shares_of(*, owner: Viewer) -> QuerySet[Share]:
    """Everything the owner shares right now (live shares), newest first, for "revoke"."""
    if not owner.is_authenticated:
        return Share.objects.none()
    return (
        Share.objects.filter(_live(), owner=owner)
        .select_related("recipient", "owner__data_key", "theme__owner__data_key", "moment")
        .order_by("-created_at", "id")
    )


def share_of(*, owner: Viewer, id: uuid.UUID | str) -> Share:
    """One of the owner's own live shares, or Http404."""
    share = shares_of(owner=owner).filter(id=_uuid(id)).first()
    if share is None:
        raise Http404
    return share


def share_views_of(*, owner: User, limit: int = 50) -> QuerySet:  # type: ignore[type-arg]
    """Who opened what the owner shared, and when (audit events ``share.viewed``)."""
    from tend.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(subject=owner, action="share.viewed")
        .select_related("actor")
        .order_by("-at")[:limit]
    )


# --- Shares: the recipient's side -----------------------------------------------------------


def shares_visible_to(*, viewer: Viewer) -> QuerySet[Share]:
    """Everything shared with the viewer that is live right now, newest first."""
    if not viewer.is_authenticated:
        return Share.objects.none()
    return (
        Share.objects.filter(_live(), recipient=viewer)
        .select_related("owner__data_key", "theme__owner__data_key", "moment")
        .order_by("-created_at", "id")
    )


def share_visible_to(*, viewer: Viewer, id: uuid.UUID | str) -> Share:
    """One live share with the viewer, or Http404."""
    share = shares_visible_to(viewer=viewer).filter(id=_uuid(id)).first()
    if share is None:
        raise Http404
    return share


def _shared_moments_q(shares: QuerySet[Share]) -> Q:
    moment_ids = shares.filter(scope=Share.Scope.MOMENT).values("moment_id")
    theme_ids = shares.filter(scope=Share.Scope.THEME).values("theme_id")
    return Q(id__in=moment_ids) | Q(theme_id__in=theme_ids)


def shared_moments_visible_to(
    *, viewer: Viewer, owner: User | None = None, share: Share | None = None
) -> QuerySet[Moment]:
    """Moments others shared with the viewer (one moment, or every moment of a theme, also
    those filed later), optionally of one owner or through one share, newest first."""
    if not viewer.is_authenticated:
        return Moment.objects.none()
    shares = shares_visible_to(viewer=viewer)
    if owner is not None:
        shares = shares.filter(owner=owner)
    if share is not None:
        shares = shares.filter(id=share.id)
    return (
        Moment.objects.filter(_shared_moments_q(shares), deleted_at__isnull=True)
        .exclude(author=viewer)
        .select_related("author__data_key", "theme__owner__data_key")
        .order_by("-occurred_at", "-created_at", "-id")
    )


def shared_moment_visible_to(
    *, viewer: Viewer, id: uuid.UUID | str, share: Share | None = None
) -> Moment:
    """One moment shared with the viewer, or Http404."""
    moment = shared_moments_visible_to(viewer=viewer, share=share).filter(id=_uuid(id)).first()
    if moment is None:
        raise Http404
    return moment


def shared_theme_visible_to(*, viewer: Viewer, id: uuid.UUID | str) -> Theme:
    """A theme shared with the viewer (its name and its moments), or Http404."""
    theme_ids = shares_visible_to(viewer=viewer).filter(scope=Share.Scope.THEME).values("theme_id")
    theme = (
        Theme.objects.filter(id=_uuid(id), id__in=theme_ids)
        .select_related("owner__data_key")
        .first()
    )
    if theme is None:
        raise Http404
    return theme


def sharers_with(*, viewer: Viewer) -> QuerySet[User]:
    """The people who share something live with the viewer."""
    if not viewer.is_authenticated:
        return User.objects.none()
    return User.objects.filter(
        id__in=shares_visible_to(viewer=viewer).values("owner_id")
    ).distinct()
