"""The practice dashboard: counts, never content.

``practice_counts`` reads, for the viewer's own practice only: upcoming calls in the next 7 days
(and when the next one is), bookings made since the viewer's last look, clients who shared
something new since then (a live share created after the last look: who, never what), and
handed-over maps still waiting for an answer. ``dashboard_seen`` records the look.

The notice: booking already emails the practitioner for every booking, and a client's share
already sends its own content-free "share.new" notice. So a new booking adds only one in-app
notice, "coaching.dashboard" (no email, no push), and only while no such notice is unread: at
most one waits at a time, whose words count what is new when it is read ("2 new bookings,
1 client shared something"). Looking at the dashboard marks it read.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.accounts.models import User
from tend.booking.models import Booking
from tend.coaching.models import DashboardLook, HandOver
from tend.connections.models import Connection, Kind, Share
from tend.connections.selectors import display_name, labels_of
from tend.core.audit import record
from tend.notifications.models import Notification
from tend.notifications.services import notifications_mark_read_for

DASHBOARD = "/coaching/"
NOTICE = "coaching.dashboard"
UPCOMING_DAYS = 7


@dataclass
class SharedClient:
    connection: uuid.UUID
    name: str


@dataclass
class PracticeCounts:
    since: dt.datetime | None
    upcoming: int = 0
    next_call: Booking | None = None
    new_bookings: int = 0
    shared: list[SharedClient] = field(default_factory=list)
    waiting_maps: int = 0

    @property
    def nothing_yet(self) -> bool:
        return not (self.upcoming or self.new_bookings or self.shared or self.waiting_maps)


def last_look(*, viewer: User) -> dt.datetime | None:
    look = DashboardLook.objects.filter(user=viewer).first()
    return look.seen_at if look else None


def practice_counts(*, viewer: User, now: dt.datetime | None = None) -> PracticeCounts:
    """What waits in the viewer's practice, counted. Before a first look, every booking still
    ahead is new, and every live share from a client is new."""
    now = now or timezone.now()
    since = last_look(viewer=viewer)
    counts = PracticeCounts(since=since)
    if not viewer.is_authenticated:
        return counts
    ahead = Booking.objects.filter(
        practitioner=viewer, status=Booking.Status.CONFIRMED, start__gt=now
    )
    week = ahead.filter(start__lte=now + dt.timedelta(days=UPCOMING_DAYS)).order_by("start")
    counts.upcoming = week.count()
    counts.next_call = week.first()
    new = ahead if since is None else ahead.filter(created_at__gt=since)
    counts.new_bookings = new.count()
    shares = Share.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        recipient=viewer,
        revoked_at__isnull=True,
        connection__user_a=viewer,
        connection__kind=Kind.PRACTITIONER,
        connection__status=Connection.Status.ACTIVE,
    ).filter(Q(moment__isnull=True) | Q(moment__deleted_at__isnull=True))
    if since is not None:
        shares = shares.filter(created_at__gt=since)
    connections = {s.connection_id: s.connection for s in shares.select_related("connection")}
    if connections:
        labels = labels_of(viewer=viewer)
        people = Connection.objects.filter(id__in=connections).select_related("user_b")
        counts.shared = sorted(
            (SharedClient(c.id, labels.get(c.id) or display_name(c.user_b)) for c in people),
            key=lambda s: s.name.casefold(),
        )
    counts.waiting_maps = HandOver.objects.filter(
        worksheet__practitioner=viewer,
        invitation__accepted_at__isnull=True,
        invitation__revoked_at__isnull=True,
        invitation__expires_at__gt=now,
    ).count()
    return counts


@transaction.atomic
def dashboard_seen(*, actor: User, now: dt.datetime | None = None) -> DashboardLook:
    """Record the practitioner's look: what was new is counted from here on. The dashboard's
    notice, read by looking, is marked read."""
    now = now or timezone.now()
    look, _created = DashboardLook.objects.update_or_create(user=actor, defaults={"seen_at": now})
    notifications_mark_read_for(actor=actor, link=DASHBOARD)
    record(actor=actor, action="coaching.dashboard.seen")
    return look


def counted_words(recipient: User) -> str:
    """The dashboard notice's words: what is new since the last look, counted."""
    counts = practice_counts(viewer=recipient)
    parts = []
    if counts.new_bookings:
        parts.append(
            ngettext("%(n)d new booking", "%(n)d new bookings", counts.new_bookings)
            % {"n": counts.new_bookings}
        )
    if counts.shared:
        parts.append(
            ngettext(
                "%(n)d client shared something",
                "%(n)d clients shared something",
                len(counts.shared),
            )
            % {"n": len(counts.shared)}
        )
    if not parts:
        return ""
    return _("%(what)s. See your practice dashboard.") % {"what": ", ".join(parts)}


def dashboard_notice(*, practitioner_id: Any) -> bool:
    """Raise the dashboard's in-app notice unless one is unread already; whether raised."""
    with transaction.atomic():
        # Two bookings committing at once must not both raise one: hold the practitioner's row
        # while looking (PostgreSQL; SQLite's writers take turns anyway).
        User.objects.select_for_update().filter(pk=practitioner_id).exists()
        if Notification.objects.filter(
            recipient_id=practitioner_id, code=NOTICE, read_at__isnull=True
        ).exists():
            return False
        Notification.objects.create(recipient_id=practitioner_id, code=NOTICE, link=DASHBOARD)
    return True


def _booked(
    sender: Any, instance: Booking, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw and instance.status == Booking.Status.CONFIRMED:
        practitioner_id = instance.practitioner_id
        # Robust: the booking has committed; a failed notice must not answer the booker a 500.
        transaction.on_commit(
            lambda: dashboard_notice(practitioner_id=practitioner_id), robust=True
        )


def connect_signals() -> None:
    post_save.connect(_booked, sender=Booking, dispatch_uid="coaching.dashboard.booked")
