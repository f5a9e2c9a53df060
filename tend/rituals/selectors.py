"""Reads for rituals and check-ins. Another person's ritual or check-in is visible only while
the connection it belongs to is active; anything else is the same 404 as nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from tend.accounts.models import User
from tend.connections.models import Connection
from tend.connections.selectors import connections_of
from tend.rituals.models import ActionItem, CalendarFeed, CheckIn, CheckInAnswer, Ritual


def _active_connection_ids(viewer: User) -> QuerySet[Connection, uuid.UUID]:
    return connections_of(viewer=viewer).values_list("id", flat=True)


def rituals_visible_to(*, viewer: User) -> QuerySet[Ritual]:
    """The viewer's own rituals and those of their active connections, not archived."""
    if not viewer.is_authenticated:
        return Ritual.objects.none()
    return (
        Ritual.objects.filter(
            Q(owner=viewer, connection=None) | Q(connection__in=_active_connection_ids(viewer)),
            archived_at=None,
        )
        .select_related("owner__data_key", "connection__user_a", "connection__user_b")
        .order_by("created_at", "id")
    )


def ritual_for(*, viewer: User, id: uuid.UUID | str) -> Ritual:
    try:
        key = id if isinstance(id, uuid.UUID) else uuid.UUID(str(id))
    except ValueError:
        raise Http404 from None
    ritual = rituals_visible_to(viewer=viewer).filter(id=key).first()
    if ritual is None:
        raise Http404
    return ritual


def participants(ritual: Ritual) -> list[User]:
    if ritual.connection is None:
        return [ritual.owner]
    return [ritual.connection.user_a, ritual.connection.user_b]


def feed_of(*, viewer: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=viewer).first()


def feed_by_secret(secret: str) -> CalendarFeed | None:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return CalendarFeed.objects.filter(token_hash=digest).select_related("user").first()


# ---- Check-ins ---------------------------------------------------------------------------


def checkins_visible_to(*, viewer: User) -> QuerySet[CheckIn]:
    if not viewer.is_authenticated:
        return CheckIn.objects.none()
    return (
        CheckIn.objects.filter(connection__in=_active_connection_ids(viewer))
        .select_related("connection__user_a", "connection__user_b")
        .order_by("-created_at", "-id")
    )


def checkin_for(*, viewer: User, id: uuid.UUID | str) -> CheckIn:
    try:
        key = id if isinstance(id, uuid.UUID) else uuid.UUID(str(id))
    except ValueError:
        raise Http404 from None
    checkin = checkins_visible_to(viewer=viewer).filter(id=key).first()
    if checkin is None:
        raise Http404
    return checkin


def answers_visible_to(*, viewer: User, checkin: CheckIn) -> list[CheckInAnswer]:
    """The viewer's own answer always; the others' only once everyone has answered."""
    answers = CheckInAnswer.objects.filter(checkin=checkin).select_related("author__data_key")
    if checkin.revealed_at is None:
        answers = answers.filter(author=viewer)
    return list(answers.order_by("submitted_at"))


def open_action_items_visible_to(*, viewer: User, connection: Connection) -> list[ActionItem]:
    """Open items of the connection: the viewer's own, and the others' once revealed."""
    return list(
        ActionItem.objects.filter(connection=connection, done_at=None)
        .filter(Q(author=viewer) | Q(checkin__revealed_at__isnull=False))
        .select_related("author__data_key")
        .order_by("created_at")
    )


def recent_done_count(*, ritual: Ritual, since: dt.datetime) -> int:
    return ritual.states.filter(state="done", original_start__gte=since).count()


def action_item_for(*, viewer: User, id: uuid.UUID) -> ActionItem:
    item = (
        ActionItem.objects.filter(id=id, connection__in=_active_connection_ids(viewer))
        .filter(Q(author=viewer) | Q(checkin__revealed_at__isnull=False))
        .first()
    )
    if item is None:
        raise Http404
    return item
