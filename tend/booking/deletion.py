"""When a practitioner deletes their account: their future calls are cancelled and each booker
is told, then the bookings go before the account does.

Runs on ``tend.accounts.signals.account_deleting``, inside the deletion's transaction and before
the practitioner's key is shredded, because the booker's address is encrypted under that key.
The emails are made now and sent only once the deletion has committed.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from tend.accounts.signals import account_deleting
from tend.booking.emails import send_booking_emails
from tend.booking.models import Booking
from tend.core.audit import record


@receiver(account_deleting, dispatch_uid="tend_booking_practitioner_deleting")
def _cancel_calls_of_a_deleted_account(sender: Any, user: Any, **kwargs: Any) -> None:
    now = timezone.now()
    outbox: list[EmailMultiAlternatives] = []
    upcoming = Booking.objects.filter(
        practitioner=user, status=Booking.Status.CONFIRMED, end__gt=now
    ).values_list("id", flat=True)
    cancelled = 0
    for booking_id in list(upcoming):
        changed = Booking.objects.filter(id=booking_id, status=Booking.Status.CONFIRMED).update(
            status=Booking.Status.CANCELLED,
            cancelled_at=now,
            cancelled_by=Booking.CancelledBy.PRACTITIONER,
            sequence=F("sequence") + 1,
            updated_at=now,
        )
        if changed:
            cancelled += 1
            send_booking_emails(
                booking_id=booking_id,
                kind="cancelled",
                secret=None,
                by="practitioner",
                to_practitioner=False,
                outbox=outbox,
            )
    if cancelled:
        record(
            actor=None,
            subject=None,
            action="booking.cancelled_with_account",
            meta={"calls": cancelled},
        )
    # A booking holds its call type with PROTECT, so the bookings go first; their reminders and
    # worksheets go with them.
    Booking.objects.filter(practitioner=user).delete()
    if outbox:
        transaction.on_commit(lambda: [email.send() for email in outbox])
