"""Reads for rituals and check-ins. Another person's ritual or check-in is visible only while
the connection it belongs to is active; anything else is the same 404 as nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from tend.accounts.models import User
from tend.connections.models import Connection
from tend.connections.selectors import connections_of
from tend.rituals.models import (
    ActionItem,
    CalendarFeed,
    CheckIn,
    CheckInAnswer,
    OccurrenceState,
    Ritual,
)

# Where the list selectors below leave what they loaded for the viewer; read it back through
# the functions next to them, never by these names.
VIEWER_MARKS = "viewer_marks"
VISIBLE_ANSWERS = "visible_answers"
OPEN_ITEMS = "open_items"


def _loaded(instance: Any, name: str) -> Any:
    try:
        return getattr(instance, name)
    except AttributeError:
        raise LookupError(
            f"{type(instance).__name__} was not loaded by a list selector ({name})."
        ) from None


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


def rituals_listed_for(*, viewer: User, done_since: dt.datetime | None = None) -> QuerySet[Ritual]:
    """``rituals_visible_to`` with what a list shows loaded in a fixed number of queries.

    Each ritual carries the occurrence marks that apply to the viewer (``marks_for_viewer``)
    and, given ``done_since``, how many occurrences anyone marked done since then
    (``done_recently``).
    """
    marks = OccurrenceState.objects.filter(Q(person=None) | Q(person=viewer)).order_by(
        "original_start", "id"
    )
    rituals = rituals_visible_to(viewer=viewer).prefetch_related(
        Prefetch("states", queryset=marks, to_attr=VIEWER_MARKS)
    )
    if done_since is None:
        return rituals
    done = (
        OccurrenceState.objects.filter(
            ritual=OuterRef("pk"), state=OccurrenceState.State.DONE, original_start__gte=done_since
        )
        .order_by()
        .values("ritual")
        .annotate(n=Count("id"))
        .values("n")
    )
    return rituals.annotate(done_recently=Coalesce(Subquery(done, output_field=IntegerField()), 0))


def marks_for_viewer(ritual: Ritual) -> list[OccurrenceState]:
    """The marks of a ritual from ``rituals_listed_for`` that apply to its viewer: the shared
    ones of a ritual kept together, the viewer's own of one kept at each one's local time."""
    each_local = ritual.basis == Ritual.Basis.EACH_LOCAL
    marks: list[OccurrenceState] = _loaded(ritual, VIEWER_MARKS)
    return [m for m in marks if (m.person_id is not None) == each_local]


def done_recently(ritual: Ritual) -> int:
    """Occurrences marked done since ``done_since``, for a ritual from ``rituals_listed_for``."""
    return int(_loaded(ritual, "done_recently"))


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
    """The feed whose address holds ``secret``, if its owner's account is active.

    The secret in the address is the whole of the access rule: a calendar app fetches it
    without signing in. An account made inactive serves no feed.
    """
    digest = hashlib.sha256(secret.encode()).hexdigest()
    feed = CalendarFeed.objects.filter(token_hash=digest).select_related("user").first()
    return feed if feed is not None and feed.user.is_active else None


# ---- Check-ins ---------------------------------------------------------------------------


def checkins_visible_to(*, viewer: User) -> QuerySet[CheckIn]:
    if not viewer.is_authenticated:
        return CheckIn.objects.none()
    return (
        CheckIn.objects.filter(connection__in=_active_connection_ids(viewer))
        .select_related("connection__user_a", "connection__user_b")
        .order_by("-created_at", "-id")
    )


def _own_or_revealed(viewer: User) -> Q:
    """Who may read an answer or an action item: its author always; everyone in the check-in
    once all have answered. The only statement of this rule; every read below goes through it.
    """
    return Q(author=viewer) | Q(checkin__revealed_at__isnull=False)


def _answers_for(viewer: User) -> QuerySet[CheckInAnswer]:
    return (
        CheckInAnswer.objects.filter(_own_or_revealed(viewer))
        .select_related("author__data_key")
        .order_by("submitted_at")
    )


def _open_items_for(viewer: User) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(_own_or_revealed(viewer), done_at=None)
        .select_related("author__data_key")
        .order_by("created_at")
    )


def checkins_listed_for(*, viewer: User) -> QuerySet[CheckIn]:
    """``checkins_visible_to`` with each check-in's answers and its connection's open action
    items as the viewer may see them (as ``answers_visible_to`` and
    ``open_action_items_visible_to`` give them), loaded in a fixed number of queries; read them
    back with ``listed_answers`` and ``listed_open_items``. Encrypted text still decrypts on
    first read.
    """
    return checkins_visible_to(viewer=viewer).prefetch_related(
        Prefetch("answers", queryset=_answers_for(viewer), to_attr=VISIBLE_ANSWERS),
        Prefetch("connection__action_items", queryset=_open_items_for(viewer), to_attr=OPEN_ITEMS),
    )


def listed_answers(checkin: CheckIn) -> list[CheckInAnswer]:
    answers: list[CheckInAnswer] = _loaded(checkin, VISIBLE_ANSWERS)
    return answers


def listed_open_items(checkin: CheckIn) -> list[ActionItem]:
    items: list[ActionItem] = _loaded(checkin.connection, OPEN_ITEMS)
    return items


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
    return list(_answers_for(viewer).filter(checkin=checkin))


def open_action_items_visible_to(*, viewer: User, connection: Connection) -> list[ActionItem]:
    """Open items of the connection: the viewer's own, and the others' once revealed."""
    return list(_open_items_for(viewer).filter(connection=connection))


def own_action_item_for(*, viewer: User, id: uuid.UUID) -> ActionItem:
    """One of the viewer's own action items, in one of their active connections, or Http404.

    Marking an item done goes through here: the other person may read it once revealed, but
    only its author says it is done.
    """
    item = (
        ActionItem.objects.filter(author=viewer)
        .filter(id=id, connection__in=_active_connection_ids(viewer))
        .first()
    )
    if item is None:
        raise Http404
    return item


def action_item_for(*, viewer: User, id: uuid.UUID) -> ActionItem:
    """An item, open or done, of one of the viewer's active connections that they may see."""
    item = (
        ActionItem.objects.filter(_own_or_revealed(viewer))
        .filter(id=id, connection__in=_active_connection_ids(viewer))
        .first()
    )
    if item is None:
        raise Http404
    return item
