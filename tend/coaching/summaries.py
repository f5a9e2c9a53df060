"""The summary after a call: the practitioner writes it, sends it once, and it becomes the
client's own.

Reads (``summary_*_of``, ``received_*``) filter by the viewer in the query, so anything not the
viewer's is the same 404 as nothing. Writes (``summary_save``, ``summary_send``,
``received_summary_delete``) run in a transaction and are audited with ids only.

* The draft is the practitioner's words under the practitioner's key (``CallSummary``).
* Sending writes the words anew under the **client's** key (``ReceivedSummary``), tells the
  client without a word of it ("someone you are connected with sent you a summary of your
  call", in-app and by email/push through notifications' own channels), and freezes the
  practitioner's copy: they keep what they sent, as a record, until they delete it with their
  account. Sending again changes nothing and tells nobody again (idempotent); a sent summary
  cannot be edited, so what the client holds is always what the practitioner sees as sent.
* The client's copy stays with them when the connection ends or the practitioner's account
  goes; they may delete it; it goes with their account and is in their export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.booking.models import Booking
from tend.booking.services import email_digest
from tend.coaching.models import SUMMARY_MAX, CallSummary, ReceivedSummary
from tend.coaching.selectors import Client, _uuid, clients_of
from tend.connections.selectors import display_name
from tend.core.audit import record
from tend.core.text import has_control_characters
from tend.notifications.services import notify

if TYPE_CHECKING:
    from tend.accounts.models import User


# --- Reads ----------------------------------------------------------------------------------


def client_of_call(*, viewer: User, booking: Booking) -> Client | None:
    """The viewer's connected client who booked this call of theirs, if any: the booking was
    made with the address of the client's account, or its worksheet was handed to them."""
    if booking.practitioner_id != viewer.pk:
        return None
    for client in clients_of(viewer=viewer):
        digests = {email_digest(client.connection.user_b.email)}
        digests |= {w.booking.booker_email_digest for w in client.worksheets}
        if booking.booker_email_digest in digests:
            return client
    return None


def summary_for_call(*, viewer: User, booking: Booking) -> CallSummary | None:
    if not viewer.is_authenticated:
        return None
    return (
        CallSummary.objects.filter(practitioner=viewer, booking=booking)
        .select_related("practitioner__data_key")
        .first()
    )


def summaries_written_of(*, viewer: User) -> QuerySet[CallSummary]:
    """Every summary the viewer wrote, drafts and sent (their own words)."""
    if not viewer.is_authenticated:
        return CallSummary.objects.none()
    return CallSummary.objects.filter(practitioner=viewer).select_related(
        "practitioner__data_key", "booking"
    )


def received_summaries_of(*, viewer: User) -> QuerySet[ReceivedSummary]:
    """The summaries sent to the viewer: theirs, whatever became of the connection."""
    if not viewer.is_authenticated:
        return ReceivedSummary.objects.none()
    return ReceivedSummary.objects.filter(owner=viewer).select_related("owner__data_key")


def received_summary_of(*, viewer: User, id: Any) -> ReceivedSummary:
    found = received_summaries_of(viewer=viewer).filter(id=_uuid(id)).first()
    if found is None:
        raise Http404
    return found


# --- Writes ---------------------------------------------------------------------------------


def clean_summary(text: Any) -> str:
    """The summary as stored. Errors say what to fix and never echo what was typed."""
    if not isinstance(text, str):
        raise ValidationError({"text": _("Write the summary as plain text.")})
    # Browsers send a textarea's line breaks as CRLF: one line break, not a control character.
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write a few words first.")})
    if len(text) > SUMMARY_MAX:
        raise ValidationError(
            {"text": _("Please keep the summary under %(n)d characters.") % {"n": SUMMARY_MAX}}
        )
    if has_control_characters(text):
        raise ValidationError({"text": _("Remove the invisible control characters.")})
    return text


def _sendable(*, actor: User, booking: Booking) -> Client:
    if booking.practitioner_id != actor.pk:
        raise Http404
    client = client_of_call(viewer=actor, booking=booking)
    if client is None:
        raise ValidationError(
            {
                "call": _(
                    "A summary goes to a client: this call's person is not connected with you "
                    "as your client."
                )
            },
            code="not_client",
        )
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError({"call": _("This call was cancelled.")}, code="cancelled")
    return client


@transaction.atomic
def summary_save(*, actor: User, booking: Booking, text: Any) -> CallSummary:
    """Save the draft of the call's summary (made the first time)."""
    client = _sendable(actor=actor, booking=booking)
    cleaned = clean_summary(text)
    summary = summary_for_call(viewer=actor, booking=booking)
    if summary is not None:
        # Locked (SQLite's IMMEDIATE transaction already holds the write lock): a send racing
        # this save (a double tap, a second tab) must not have its sent_at written back to None.
        summary = CallSummary.objects.select_for_update().get(pk=summary.pk)
    if summary is not None and summary.sent_at is not None:
        raise ValidationError(
            {"text": _("You sent this summary already; it can no longer change.")}, code="sent"
        )
    if summary is None:
        summary = CallSummary(practitioner=actor, booking=booking)
    summary.text = cleaned
    summary.connection = client.connection
    summary.updated_at = timezone.now()
    if summary._state.adding:
        summary.save()
    else:
        summary.save(update_fields=["text", "connection", "updated_at"])
    record(
        actor=actor,
        action="coaching.summary.save",
        target=summary,
        meta={"call": booking.id, "client": client.connection.id},
    )
    return summary


@transaction.atomic
def summary_send(*, actor: User, summary: CallSummary) -> ReceivedSummary:
    """Send the summary to the client of the call: it becomes theirs, under their key.

    Sending a summary sent already returns the client's copy as it is (if they still have it)
    and tells nobody again.
    """
    if summary.practitioner_id != actor.pk:
        raise Http404
    # Claim the sending with a conditional UPDATE, so that two sends never make two copies.
    now = timezone.now()
    if not CallSummary.objects.filter(id=summary.id, sent_at__isnull=True).update(sent_at=now):
        summary.refresh_from_db()
        existing = ReceivedSummary.objects.filter(source=summary).first()
        if existing is None:
            raise ValidationError({"text": _("You sent this summary already.")}, code="sent")
        return existing
    booking = summary.booking
    client = _sendable(actor=actor, booking=booking)
    summary.sent_at = now
    summary.connection = client.connection
    summary.save(update_fields=["connection"])
    person = client.connection.user_b
    received = ReceivedSummary(
        owner=person,
        sender=actor,
        sender_name=display_name(actor),
        source=summary,
        call_start=booking.start,
        text=summary.text,
        created_at=now,
    )
    received.save()
    record(
        actor=actor,
        action="coaching.summary.send",
        target=summary,
        subject=person,
        meta={"call": booking.id, "client": client.connection.id, "received": received.id},
    )
    # Content-free, through the person's own notification settings and quiet hours.
    notify(
        recipient=person,
        code="coaching.summary",
        key=f"summary:{received.id}",
        link=f"/coaching/summaries/{received.id}/",
    )
    return received


@transaction.atomic
def received_summary_mark_read(*, actor: User, summary: ReceivedSummary) -> None:
    if summary.owner_id != actor.pk:
        raise Http404
    if summary.read_at is None:
        ReceivedSummary.objects.filter(id=summary.id, read_at__isnull=True).update(
            read_at=timezone.now()
        )


@transaction.atomic
def received_summary_delete(*, actor: User, summary: ReceivedSummary) -> None:
    """The client deletes their copy; the practitioner's record of sending it is theirs."""
    if summary.owner_id != actor.pk:
        raise Http404
    record(actor=actor, action="coaching.summary.delete", target=summary)
    summary.delete()
