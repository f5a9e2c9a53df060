"""Reads of coaching. Every read filters by the viewer in its query, so that "not yours", "not
shared with you", "no longer connected" and "does not exist" are the same 404.

* A worksheet is read only by its practitioner (``worksheet_of``, ``worksheet_for_call``).
* A handed-over worksheet is read by the person who accepted its invitation, and only while
  their connection with the practitioner is active (``handovers_for_client``); ending the
  connection ends that at once.
* A practitioner's clients (``clients_of``) show what the practitioner knows anyway (name, when
  connected, their own bookings) and, of the client's things, only the live shares.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tend.booking.models import Booking
from tend.booking.selectors import booking_of
from tend.booking.services import email_digest
from tend.coaching.models import ClientSetting, HandOver, SessionNote, Worksheet
from tend.connections.models import Connection, Kind, Share
from tend.connections.selectors import display_name, ended_connections_of, labels_of

if TYPE_CHECKING:
    from tend.accounts.models import User


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


# --- The practitioner's worksheets ----------------------------------------------------------


def worksheets_of(*, viewer: User) -> QuerySet[Worksheet]:
    if not viewer.is_authenticated:
        return Worksheet.objects.none()
    return Worksheet.objects.filter(practitioner=viewer).select_related(
        "practitioner__data_key", "booking__practitioner__data_key", "booking__call_type"
    )


def call_of(*, viewer: User, id: Any) -> Booking:
    """One of the viewer's own calls, or Http404."""
    booking = booking_of(viewer=viewer, id=id) if viewer.is_authenticated else None
    if booking is None:
        raise Http404
    return booking


def worksheet_for_call(*, viewer: User, booking: Booking) -> Worksheet | None:
    return worksheets_of(viewer=viewer).filter(booking=booking).first()


def handovers_of_worksheet(*, viewer: User, worksheet: Worksheet) -> QuerySet[HandOver]:
    """The practitioner's own record of sending it: when, and whether the link was used."""
    return HandOver.objects.filter(
        worksheet=worksheet, worksheet__practitioner=viewer
    ).select_related("invitation", "invitation__connection")


# --- The client's side ----------------------------------------------------------------------


def handovers_for_client(*, viewer: User) -> QuerySet[HandOver]:
    """Worksheets handed to the viewer, while the connection they came with is active."""
    if not viewer.is_authenticated:
        return HandOver.objects.none()
    return HandOver.objects.filter(
        invitation__accepted_by=viewer,
        invitation__connection__user_b=viewer,
        invitation__connection__status=Connection.Status.ACTIVE,
    ).select_related(
        "invitation__connection",
        "invitation__inviter",
        "worksheet__practitioner__data_key",
        "worksheet__booking",
    )


def handover_for_client(*, viewer: User, id: Any) -> HandOver:
    handover = handovers_for_client(viewer=viewer).filter(id=_uuid(id)).first()
    if handover is None:
        raise Http404
    return handover


def handover_for_connection(*, viewer: User, connection: Connection) -> HandOver | None:
    return handovers_for_client(viewer=viewer).filter(invitation__connection=connection).first()


# --- Clients --------------------------------------------------------------------------------


@dataclass
class Client:
    connection: Connection
    name: str
    since: Any
    archived: bool
    next_call: Booking | None = None
    # The next call in words, in the practitioner's zone (set by the page).
    next_words: str = ""
    shares: list[Share] = field(default_factory=list)
    worksheets: list[Worksheet] = field(default_factory=list)


def _practitioner_connections(viewer: User) -> Q:
    return Q(user_a=viewer, kind=Kind.PRACTITIONER)


def clients_of(*, viewer: User) -> list[Client]:
    """The viewer's clients (active practitioner connections they made), archived ones last.

    For each: the name they go by (or the practitioner's own label), when they connected, their
    next call (a booking made with the address of their account or of a call whose worksheet
    was handed to them), the live shares they grant, and the practitioner's own worksheets.
    """
    if not viewer.is_authenticated:
        return []
    connections = list(
        Connection.objects.filter(
            _practitioner_connections(viewer), status=Connection.Status.ACTIVE
        ).select_related("user_b")
    )
    if not connections:
        return []
    ids = [c.id for c in connections]
    archived = set(
        ClientSetting.objects.filter(
            practitioner=viewer, connection_id__in=ids, archived_at__isnull=False
        ).values_list("connection_id", flat=True)
    )
    labels = labels_of(viewer=viewer)
    shares: dict[uuid.UUID, list[Share]] = {}
    now = timezone.now()
    for share in (
        Share.objects.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            recipient=viewer,
            connection_id__in=ids,
            revoked_at__isnull=True,
        )
        .filter(Q(moment__isnull=True) | Q(moment__deleted_at__isnull=True))
        .order_by("-created_at")
    ):
        shares.setdefault(share.connection_id, []).append(share)
    handed: dict[uuid.UUID, list[HandOver]] = {}
    for handover in HandOver.objects.filter(
        invitation__connection_id__in=ids, worksheet__practitioner=viewer
    ).select_related("worksheet__booking__practitioner__data_key", "worksheet__booking__call_type"):
        handed.setdefault(handover.invitation.connection_id, []).append(handover)  # type: ignore[arg-type]
    upcoming = list(
        Booking.objects.filter(
            practitioner=viewer, status=Booking.Status.CONFIRMED, start__gt=now
        ).order_by("start")[:500]
    )
    clients: list[Client] = []
    for connection in connections:
        digests = {email_digest(connection.user_b.email)}
        digests |= {h.worksheet.booking.booker_email_digest for h in handed.get(connection.id, [])}
        next_call = next((b for b in upcoming if b.booker_email_digest in digests), None)
        clients.append(
            Client(
                connection=connection,
                name=labels.get(connection.id) or display_name(connection.user_b),
                since=connection.created_at,
                archived=connection.id in archived,
                next_call=next_call,
                shares=shares.get(connection.id, []),
                worksheets=[h.worksheet for h in handed.get(connection.id, [])],
            )
        )
    clients.sort(key=lambda c: (c.archived, c.name.casefold()))
    return clients


def former_clients_of(*, viewer: User) -> list[Client]:
    """Clients whose connection ended: only the practitioner's own worksheets remain."""
    if not viewer.is_authenticated:
        return []
    connections = list(
        ended_connections_of(viewer=viewer).filter(_practitioner_connections(viewer))[:100]
    )
    handed: dict[uuid.UUID, list[Worksheet]] = {}
    for handover in HandOver.objects.filter(
        invitation__connection__in=connections, worksheet__practitioner=viewer
    ).select_related("worksheet__booking__practitioner__data_key", "worksheet__booking__call_type"):
        handed.setdefault(handover.invitation.connection_id, []).append(handover.worksheet)  # type: ignore[arg-type]
    labels = labels_of(viewer=viewer)
    return [
        Client(
            connection=c,
            name=labels.get(c.id) or display_name(c.user_b),
            since=c.created_at,
            archived=False,
            worksheets=handed.get(c.id, []),
        )
        for c in connections
    ]


def client_connection_of(*, viewer: User, id: Any) -> Connection:
    """One of the viewer's active client connections, or Http404."""
    if not viewer.is_authenticated:
        raise Http404
    connection = Connection.objects.filter(
        _practitioner_connections(viewer), status=Connection.Status.ACTIVE, id=_uuid(id)
    ).first()
    if connection is None:
        raise Http404
    return connection


# --- One client, and the practitioner's notes ----------------------------------------------


def client_of(*, viewer: User, id: Any) -> Client:
    """One client of the viewer's, active or earlier (as ``former_clients_of`` shows them).

    An earlier client carries only the practitioner's own worksheets; no shares, no next call.
    """
    wanted = _uuid(id)
    for client in clients_of(viewer=viewer):
        if client.connection.id == wanted:
            return client
    for client in former_clients_of(viewer=viewer):
        if client.connection.id == wanted:
            return client
    raise Http404


def session_notes_of(*, viewer: User, connection: Connection) -> QuerySet[SessionNote]:
    if not viewer.is_authenticated:
        return SessionNote.objects.none()
    return (
        SessionNote.objects.filter(practitioner=viewer, connection=connection)
        .select_related("practitioner__data_key", "booking")
        .order_by("-created_at")
    )


def session_note_of(*, viewer: User, id: Any) -> SessionNote:
    if not viewer.is_authenticated:
        raise Http404
    note = (
        SessionNote.objects.filter(practitioner=viewer, id=_uuid(id))
        .select_related("practitioner__data_key")
        .first()
    )
    if note is None:
        raise Http404
    return note


def calls_with(*, viewer: User, client: Client) -> list[Booking]:
    """The viewer's calls with this client: their handed-over calls, and bookings made with
    the address of the client's account or of those calls (newest first, at most 50)."""
    digests = {email_digest(client.connection.user_b.email)}
    digests |= {w.booking.booker_email_digest for w in client.worksheets}
    return list(
        Booking.objects.filter(practitioner=viewer, booker_email_digest__in=digests)
        .select_related("call_type")
        .order_by("-start")[:50]
    )
