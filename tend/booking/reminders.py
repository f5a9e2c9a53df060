"""Reminders of booked calls, to both parties, at most once per claim with several workers.

``plan`` runs inside the transaction that books, moves or cancels, so reminders always match
the booking as committed: a move deletes the unsent reminders of the old time and plans the
new ones, a cancel deletes them. ``deliver_due`` (the minute tick) claims due rows with a
conditional UPDATE stamping this worker's token, as tend/notifications/delivery.py does; a
worker killed mid-batch leaves its rows claimed and another takes them after the lease.
``deliver_one`` checks its claim token is still on the row just before sending, so a worker
slower than the lease does not send a reminder another worker has taken. That is at most one
send per claim, not exactly once: a worker that dies between sending and recording ``sent_at``
can cause one repeat after the lease.
They say when and with whom, never the intake.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tend.booking.models import Booking, BookingReminder, PractitionerProfile
from tend.booking.words import one_line, when_words
from tend.core.languages import language_for

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
BATCH = 50
# A reminder whose call has already started is no use: it is dropped, not sent.
Recipient = BookingReminder.Recipient


def plan(booking: Booking, *, now: dt.datetime | None = None) -> None:
    """Replace the unsent reminders of ``booking`` with those of its current time."""
    now = now or timezone.now()
    BookingReminder.objects.filter(booking=booking, sent_at=None).delete()
    if booking.status != Booking.Status.CONFIRMED:
        return
    rows = []
    for offset in booking.call_type.reminder_offsets:
        due = booking.start - dt.timedelta(minutes=int(offset))
        if due <= now:
            continue  # booked at short notice: that reminder's moment has passed
        for recipient in Recipient.values:
            rows.append(
                BookingReminder(
                    booking=booking,
                    recipient=recipient,
                    offset_minutes=int(offset),
                    for_start=booking.start,
                    due_at=due,
                )
            )
    BookingReminder.objects.bulk_create(rows, ignore_conflicts=True)


def claim_batch(
    *, now: dt.datetime, limit: int = BATCH, lease: dt.timedelta = LEASE
) -> list[BookingReminder]:
    token = uuid.uuid4()
    claimable = BookingReminder.objects.filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - lease),
        sent_at=None,
        dropped_at=None,
        due_at__lte=now,
    )
    while True:
        ids = list(claimable.order_by("due_at").values_list("id", flat=True)[:limit])
        if not ids:
            return []
        # The conditional UPDATE is the claim: a row another worker claimed in the meantime no
        # longer matches and keeps that worker's token.
        if claimable.filter(id__in=ids).update(claimed_at=now, claim_token=token):
            return list(
                BookingReminder.objects.filter(id__in=ids, claim_token=token).select_related(
                    "booking__call_type", "booking__practitioner__data_key"
                )
            )


def send(reminder: BookingReminder) -> None:
    booking = reminder.booking
    profile = PractitionerProfile.objects.get(user_id=booking.practitioner_id)
    if reminder.recipient == Recipient.BOOKER:
        language, zone, to = booking.booker_language, booking.booker_zone, booking.booker_email
        with_whom = profile.public_name
    else:
        user = booking.practitioner
        language, zone, to = user.language, profile.time_zone, user.email
        with_whom = booking.booker_name
    with translation.override(language_for(language)):
        subject = _("Reminder: %(call)s with %(name)s") % {
            "call": booking.call_type.name,
            "name": with_whom,
        }
        body = _("%(call)s with %(name)s\n%(when)s\n") % {
            "call": booking.call_type.name,
            "name": with_whom,
            "when": when_words(booking.start, zone),
        }
        EmailMessage(
            subject=one_line(subject), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
        ).send()


def deliver_due(*, now: dt.datetime | None = None, max_batches: int = 20) -> dict[str, int]:
    """Send every due reminder this worker can claim; answer counts by outcome."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for _batch in range(max_batches):
        batch = claim_batch(now=now)
        if not batch:
            break
        for reminder in batch:
            outcome = deliver_one(reminder, now=now)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def deliver_one(reminder: BookingReminder, *, now: dt.datetime) -> str:
    mine = BookingReminder.objects.filter(id=reminder.id, claim_token=reminder.claim_token)
    booking = reminder.booking
    booking.refresh_from_db(fields=["status", "start"])
    if (
        booking.status != Booking.Status.CONFIRMED
        or booking.start != reminder.for_start
        or booking.start <= now
    ):
        mine.update(dropped_at=now)
        return "dropped"
    if not mine.filter(sent_at=None, dropped_at=None).exists():
        # The lease ran out while this worker was slow and another worker claimed it.
        return "lost"
    try:
        send(reminder)
    except Exception as error:
        # Leave it claimed: after the lease another attempt is made.
        logger.warning("booking reminder %s failed: %s", reminder.id, type(error).__name__)
        return "failed"
    mine.filter(sent_at=None).update(sent_at=now)
    return "sent"
