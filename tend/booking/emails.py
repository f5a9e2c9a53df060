"""The booking emails: to the booker in their zone and language, to the practitioner in theirs.

They say what happened, when and with whom, and carry an .ics. Never the intake: the
practitioner reads that in Tend. The booker's email holds the manage link, whose secret exists
only in memory at this moment (the database keeps its hash), so these are sent right after the
commit rather than through the task queue, where the secret would be stored.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tend.booking.ics import invitation
from tend.booking.models import Booking, PractitionerProfile
from tend.booking.words import one_line, when_words
from tend.core.languages import language_for, spoken_to

logger = logging.getLogger(__name__)


def manage_url(secret: str) -> str:
    return f"{settings.SITE_URL}/book/manage/{secret}/"


def _send(
    *, to: str, subject: str, template: str, context: dict[str, object], ics: bytes, method: str
) -> None:
    text = render_to_string(f"booking/email/{template}.txt", context)
    email = EmailMultiAlternatives(
        subject=one_line(subject), body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    email.attach("invite.ics", ics, f"text/calendar; charset=utf-8; method={method}")
    email.send()


def send_booking_emails(
    *, booking_id: uuid.UUID, kind: str, secret: str | None, by: str = "booker"
) -> None:
    """Tell both parties that a booking was made, moved or cancelled (``kind``)."""
    booking = (
        Booking.objects.select_related("call_type", "practitioner__data_key")
        .filter(id=booking_id)
        .first()
    )
    if booking is None:
        return
    profile = PractitionerProfile.objects.filter(user_id=booking.practitioner_id).first()
    if profile is None:
        return
    method = "CANCEL" if booking.status == Booking.Status.CANCELLED else "REQUEST"
    try:
        with translation.override(language_for(booking.booker_language)):
            summary = _("%(call)s with %(name)s") % {
                "call": booking.call_type.name,
                "name": profile.public_name,
            }
            subject = {
                "booked": _("Your call with %(name)s is booked"),
                "moved": _("Your call with %(name)s has a new time"),
                "cancelled": _("Your call with %(name)s is cancelled"),
            }[kind] % {"name": profile.public_name}
            _send(
                to=booking.booker_email,
                subject=subject,
                template="booker",
                context={
                    "kind": kind,
                    "by": by,
                    "when": when_words(booking.start, booking.booker_zone),
                    "summary": summary,
                    "practitioner": profile.public_name,
                    "location_kind": booking.call_type.get_location_kind_display(),
                    "location": booking.call_type.location,
                    "note": booking.call_type.cancellation_note,
                    "manage_url": manage_url(secret) if secret else "",
                    "book_url": f"{settings.SITE_URL}/book/{profile.slug}/",
                },
                ics=invitation(
                    booking,
                    zone=booking.booker_zone,
                    summary=summary,
                    organizer_name=profile.public_name,
                    location=booking.call_type.location,
                ),
                method=method,
            )
    except Exception as error:
        logger.warning("booking email to the booker failed: %s", type(error).__name__)
    user = booking.practitioner
    try:
        with spoken_to(user):
            summary = _("%(call)s with %(name)s") % {
                "call": booking.call_type.name,
                "name": booking.booker_name,
            }
            subject = {
                "booked": _("New booking: %(call)s"),
                "moved": _("A call has a new time: %(call)s"),
                "cancelled": _("A call was cancelled: %(call)s"),
            }[kind] % {"call": booking.call_type.name}
            _send(
                to=user.email,
                subject=subject,
                template="practitioner",
                context={
                    "kind": kind,
                    "by": by,
                    "when": when_words(booking.start, profile.time_zone),
                    "booker": booking.booker_name,
                    "call": booking.call_type.name,
                    "calls_url": f"{settings.SITE_URL}/booking/calls/{booking.id}/",
                },
                ics=invitation(
                    booking,
                    zone=profile.time_zone,
                    summary=summary,
                    organizer_name=profile.public_name,
                    location=booking.call_type.location,
                ),
                method=method,
            )
    except Exception as error:
        logger.warning("booking email to the practitioner failed: %s", type(error).__name__)
