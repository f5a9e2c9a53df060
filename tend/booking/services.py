"""Every write of booking: bookings here; the practitioner's profile, call types and hours in
``setup.py`` and their external calendar in ``calendars.py``, named here too.

``booking_create`` is the one place a booking is made. It checks the slot again inside the
transaction that stores it, so that however many requests race for one time, one wins:

* on SQLite the transaction starts with ``BEGIN IMMEDIATE`` (``transaction_mode`` in settings),
  which takes the database's write lock before the check, so writers run one after another;
* on PostgreSQL the practitioner's profile row is locked (``SELECT … FOR UPDATE``) before the
  check, which serialises the bookings of one practitioner (and so keeps the daily limit
  exact), and the exclusion constraint ``booking_no_overlap`` refuses an overlapping block even
  if some other code path skipped the check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.booking import reminders, selectors, slots

# The practitioner's setup and external calendar are written in their own modules; their
# writes are named here too, as every other booking write is.
from tend.booking.calendars import (  # noqa: F401
    CALENDAR_AHEAD,
    CALENDAR_EVERY,
    CALENDAR_TIMEOUT,
    calendar_refresh,
    calendar_remove,
    calendar_set,
    calendars_refresh_due,
)
from tend.booking.intake import clean_intake
from tend.booking.models import (
    Booking,
    CallType,
    PractitionerProfile,
)
from tend.booking.setup import (  # noqa: F401
    CALL_TYPE_FIELDS,
    PROFILE_FIELDS,
    RESERVED_SLUGS,
    call_type_archive,
    call_type_save,
    override_remove,
    override_set,
    photo_remove,
    photo_set,
    profile_turn_off,
    profile_turn_on,
    profile_update,
    weekly_hours_set,
)
from tend.core.audit import record
from tend.core.text import has_control_characters
from tend.core.zones import known_zones

# At most this many open, future bookings per email address with one practitioner.
MAX_OPEN_PER_EMAIL = 3
NAME_MAX = 100
PRONOUNS_MAX = 40
# How far either side of a refused start the nearest free times are looked for.
NEAREST_REACH = dt.timedelta(days=14)


class SlotError(Exception):
    """The time cannot be booked; ``nearest`` holds the closest free starts (UTC)."""

    code = "slot_not_offered"

    def __init__(self, message: str, *, nearest: list[dt.datetime]) -> None:
        super().__init__(message)
        self.message = message
        self.nearest = nearest


class SlotTaken(SlotError):
    """Someone else booked that time (or one overlapping it) a moment earlier."""

    code = "slot_taken"


# ---- Bookings -----------------------------------------------------------------------------


def email_digest(email: str) -> str:
    return salted_hmac("tend.booking.email", email.strip().lower(), algorithm="sha256").hexdigest()


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def nearest_free_times(
    *,
    call_type: CallType,
    time_zone: str,
    start: dt.datetime,
    now: dt.datetime,
    exclude: uuid.UUID | None = None,
) -> list[dt.datetime]:
    free = selectors.free_slots_for(
        call_type=call_type,
        time_zone=time_zone,
        now=now,
        window_start=max(start - NEAREST_REACH, now),
        window_end=start + NEAREST_REACH,
        exclude=exclude,
    )
    return slots.nearest_free(start=start, slots=free, count=3)


def _clean_booker(
    *, name: str, email: str, zone: str, language: str, pronouns: str
) -> tuple[str, str, str, str, str]:
    errors: dict[str, str] = {}
    name, email, pronouns = name.strip(), email.strip(), pronouns.strip()
    if not name:
        errors["name"] = _("Enter the name you'd like to be called.")
    elif has_control_characters(name, allow_line_breaks=False):
        # A line break in a name would end up in email subjects (header injection).
        errors["name"] = _("Write your name on one line, without special characters.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Please keep your name under %(n)d characters.") % {"n": NAME_MAX}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter an email address such as name@example.com.")
    if zone not in known_zones():
        errors["zone"] = _("Choose a time zone such as America/New_York.")
    if len(pronouns) > PRONOUNS_MAX:
        errors["pronouns"] = _("Please keep pronouns under %(n)d characters.") % {"n": PRONOUNS_MAX}
    languages = {code for code, _label in settings.LANGUAGES}
    if errors:
        raise ValidationError(errors)
    return name, email, zone, language if language in languages else "en", pronouns


def _guard_window(start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return start - selectors.GUARD_REACH, start + selectors.GUARD_REACH


def _slot_check(
    *,
    call_type: CallType,
    time_zone: str,
    start: dt.datetime,
    now: dt.datetime,
    exclude: uuid.UUID | None,
) -> str | None:
    """None if ``start`` is free now; else "taken" or "not_offered". Run inside the lock."""
    availability = selectors.availability_for(
        practitioner_id=call_type.practitioner_id, time_zone=time_zone
    )
    rules = selectors.rules_for(call_type)
    # Offered at all (hours, alignment, notice, horizon), regardless of other bookings?
    if not slots.slot_is_free(
        start=start, availability=availability, rules=rules, now=now, taken=(), busy=()
    ):
        return "not_offered"
    low, high = _guard_window(start)
    pid = call_type.practitioner_id
    taken = selectors.taken_between(practitioner_id=pid, start=low, end=high, exclude=exclude)
    busy = selectors.busy_between(practitioner_id=pid, start=low, end=high)
    if not slots.slot_is_free(
        start=start, availability=availability, rules=rules, now=now, taken=taken, busy=busy
    ):
        return "taken"
    return None


def _lock_profile(practitioner_id: uuid.UUID) -> PractitionerProfile | None:
    """The practitioner's profile, locked for this transaction where the database can."""
    # With the practitioner and their data key: the booking's encrypted fields and its audit
    # event then need no query of their own. Only the profile row is locked.
    rows = PractitionerProfile.objects.select_related("user__data_key").filter(
        user_id=practitioner_id
    )
    if connection.features.has_select_for_update:
        rows = rows.select_for_update(of=("self",))
    return rows.first()


def _refuse(
    problem: str,
    *,
    call_type: CallType,
    time_zone: str,
    start: dt.datetime,
    now: dt.datetime,
    exclude: uuid.UUID | None = None,
) -> SlotError:
    nearest = nearest_free_times(
        call_type=call_type, time_zone=time_zone, start=start, now=now, exclude=exclude
    )
    if problem == "taken":
        return SlotTaken(_("That time was just taken."), nearest=nearest)
    return SlotError(_("That time is not offered."), nearest=nearest)


def _span(call_type: CallType, start: dt.datetime) -> dict[str, dt.datetime]:
    """The call from ``start`` and its block (the call widened by its buffers), as the
    Booking fields the slot engine and the no-overlap constraint read."""
    end = start + dt.timedelta(minutes=call_type.duration_minutes)
    return {
        "start": start,
        "end": end,
        "block_start": start - dt.timedelta(minutes=call_type.buffer_before_minutes),
        "block_end": end + dt.timedelta(minutes=call_type.buffer_after_minutes),
    }


def booking_create(
    *,
    call_type: CallType,
    start: dt.datetime,
    name: str,
    email: str,
    zone: str,
    intake: Mapping[str, Any],
    consents_ticked: Collection[int],
    language: str = "en",
    pronouns: str = "",
    now: dt.datetime | None = None,
) -> tuple[Booking, str]:
    """Book ``start`` for a visitor; answer the booking and the manage link's secret.

    ``call_type`` comes from ``selectors.call_type_public``. Raises ``ValidationError`` for
    what the visitor typed (nothing stored), ``SlotError`` for a time not offered and
    ``SlotTaken`` for a time someone else has, each with the nearest free times.
    """
    now = now or timezone.now()
    if start.tzinfo is None:
        raise ValidationError({"start": _("Give the time with its offset or in UTC.")})
    start = start.astimezone(dt.UTC)
    name, email, zone, language, pronouns = _clean_booker(
        name=name, email=email, zone=zone, language=language, pronouns=pronouns
    )
    answers = clean_intake(intake, questions=list(call_type.questions))
    statements = [str(s) for s in call_type.consents]
    if set(consents_ticked) != set(range(len(statements))):
        raise ValidationError({"consents": _("Tick each statement to book the call.")})
    digest = email_digest(email)
    secret = secrets.token_urlsafe(32)  # 256 bits
    problem: str | None = None
    time_zone = "UTC"
    try:
        with transaction.atomic():
            profile = _lock_profile(call_type.practitioner_id)
            if profile is None or not profile.offering or not call_type.active:
                raise ValidationError({"start": _("These calls are not offered at the moment.")})
            time_zone = profile.time_zone
            problem = _slot_check(
                call_type=call_type, time_zone=time_zone, start=start, now=now, exclude=None
            )
            if problem is None:
                open_count = Booking.objects.filter(
                    practitioner_id=call_type.practitioner_id,
                    booker_email_digest=digest,
                    status=Booking.Status.CONFIRMED,
                    end__gt=now,
                ).count()
                if open_count >= MAX_OPEN_PER_EMAIL:
                    # The answer must not tell whoever typed the address that its owner
                    # sees this practitioner: no count, and no word of existing bookings.
                    raise ValidationError(
                        {
                            "email": _(
                                "We couldn't book this time for that email address. If you "
                                "already have calls booked, use the links in their emails to "
                                "change them."
                            )
                        }
                    )
                booking = Booking(
                    practitioner=profile.user,
                    call_type=call_type,
                    **_span(call_type, start),
                    booker_name=name,
                    booker_email=email,
                    booker_email_digest=digest,
                    booker_pronouns=pronouns,
                    booker_zone=zone,
                    booker_language=language,
                    intake=json.dumps(answers, ensure_ascii=False),
                    consents=[{"text": s, "at": now.isoformat()} for s in statements],
                    manage_secret_hash=secret_hash(secret),
                )
                booking.save(force_insert=True)
                record(
                    actor=None,
                    action="booking.created",
                    target=booking,
                    subject=profile.user,
                    meta={"call_type": call_type.id},
                )
                reminders.plan(booking, now=now)
                _notify(booking, kind="booked", secret=secret, by="booker")
    except IntegrityError:
        # PostgreSQL's exclusion constraint: another transaction stored an overlapping block.
        problem = "taken"
    if problem is not None:
        raise _refuse(problem, call_type=call_type, time_zone=time_zone, start=start, now=now)
    return booking, secret


# ---- Changing a booking -------------------------------------------------------------------


def _notify(booking: Booking, *, kind: str, secret: str | None, by: str) -> None:
    from tend.booking.emails import send_booking_emails

    transaction.on_commit(
        lambda: send_booking_emails(booking_id=booking.id, kind=kind, secret=secret, by=by)
    )


def booking_by_secret(secret: str, *, now: dt.datetime | None = None) -> Booking | None:
    """The booking a manage link opens, or None if forged, cancelled or already past."""
    if not secret or len(secret) > 100:
        return None
    digest = secret_hash(secret)
    booking = (
        Booking.objects.select_related("call_type", "practitioner__data_key")
        .filter(manage_secret_hash=digest)
        .first()
    )
    # The lookup is by hash (an attacker cannot steer it toward a prefix); the comparison below
    # is in constant time all the same, so no timing tells how close a guess came.
    if booking is None or not hmac.compare_digest(booking.manage_secret_hash, digest):
        return None
    if booking.status != Booking.Status.CONFIRMED or booking.end <= (now or timezone.now()):
        return None
    return booking


def booking_cancel(
    *, booking: Booking, by: str, reason: str = "", actor: User | None = None
) -> bool:
    """Cancel a booking (by the booker through their link, or by the practitioner).

    Answers False if it was no longer open (cancelled or marked a moment earlier).
    """
    if by not in Booking.CancelledBy.values:
        raise ValueError("by is booker or practitioner")
    reason = reason.strip()
    if len(reason) > 500:
        raise ValidationError({"reason": _("Please keep the reason under 500 characters.")})
    now = timezone.now()
    with transaction.atomic():
        # Claim the change with a conditional UPDATE so that two cancels never both notify.
        changed = Booking.objects.filter(id=booking.id, status=Booking.Status.CONFIRMED).update(
            status=Booking.Status.CANCELLED,
            cancelled_at=now,
            cancelled_by=by,
            sequence=F("sequence") + 1,
            updated_at=now,
        )
        if not changed:
            return False
        booking.refresh_from_db()
        if reason:
            booking.cancel_reason = reason
            booking.save(update_fields=["cancel_reason"])
        record(
            actor=actor,
            action="booking.cancelled",
            target=booking,
            subject=booking.practitioner,
            meta={"by": by},
        )
        reminders.plan(booking, now=now)  # a cancelled booking keeps none
        _notify(booking, kind="cancelled", secret=None, by=by)
    return True


def booking_reschedule(
    *,
    booking: Booking,
    start: dt.datetime,
    by: str,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Move a booking to another free start, with the same guard as booking it.

    Answers the new manage link's secret: the old link stops working, and the booker's email
    carries the new one. Raises SlotError/SlotTaken with the nearest free times.
    """
    now = now or timezone.now()
    if start.tzinfo is None:
        raise ValidationError({"start": _("Give the time with its offset or in UTC.")})
    start = start.astimezone(dt.UTC)
    call_type = booking.call_type
    secret = secrets.token_urlsafe(32)
    problem: str | None = None
    moved = 0
    time_zone = "UTC"
    try:
        with transaction.atomic():
            profile = _lock_profile(booking.practitioner_id)
            current = Booking.objects.filter(id=booking.id).first()
            if profile is None or current is None or not current.is_open:
                raise ValidationError({"start": _("This call can no longer be moved.")})
            time_zone = profile.time_zone
            problem = _slot_check(
                call_type=call_type, time_zone=time_zone, start=start, now=now, exclude=booking.id
            )
            if problem is None:
                # The cancel does not take the profile lock: claim the move with a conditional
                # UPDATE so that a cancel (or another move through the same link) committed
                # since the check above is never overwritten.
                claim = Booking.objects.filter(id=booking.id, status=Booking.Status.CONFIRMED)
                if by == Booking.CancelledBy.BOOKER:
                    claim = claim.filter(manage_secret_hash=booking.manage_secret_hash)
                moved = claim.update(
                    **_span(call_type, start),
                    sequence=F("sequence") + 1,
                    manage_secret_hash=secret_hash(secret),
                    updated_at=now,
                )
                if moved:
                    booking.refresh_from_db()
                    record(
                        actor=actor,
                        action="booking.moved",
                        target=booking,
                        subject=profile.user,
                        meta={"by": by},
                    )
                    reminders.plan(booking, now=now)
                    _notify(booking, kind="moved", secret=secret, by=by)
    except IntegrityError:
        problem = "taken"
    if problem is None and not moved:
        raise ValidationError({"start": _("This call can no longer be moved.")})
    if problem is not None:
        raise _refuse(
            problem,
            call_type=call_type,
            time_zone=time_zone,
            start=start,
            now=now,
            exclude=booking.id,
        )
    return secret


# ---- The practitioner's side of a booking -------------------------------------------------

NOTES_MAX = 5000


@transaction.atomic
def booking_mark(*, actor: User, booking: Booking, status: str) -> None:
    """Mark a call that has started as attended or not (a booking from ``bookings_of``)."""
    if booking.practitioner_id != actor.id:
        raise PermissionError("not the actor's booking")
    if status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW, Booking.Status.CONFIRMED):
        raise ValidationError({"status": _("Choose attended or did not come.")})
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError({"status": _("A cancelled call cannot be marked.")})
    if booking.start > timezone.now():
        raise ValidationError({"status": _("You can mark a call once it has started.")})
    Booking.objects.filter(id=booking.id).exclude(status=Booking.Status.CANCELLED).update(
        status=status, updated_at=timezone.now()
    )
    record(actor=actor, action="booking.marked", target=booking, meta={"status": status})


@transaction.atomic
def booking_note(*, actor: User, booking: Booking, notes: str) -> None:
    """The practitioner's private notes on one call, encrypted under their key."""
    if booking.practitioner_id != actor.id:
        raise PermissionError("not the actor's booking")
    if len(notes) > NOTES_MAX:
        raise ValidationError(
            {"notes": _("Please keep notes under %(n)d characters.") % {"n": NOTES_MAX}}
        )
    booking.notes = notes
    booking.updated_at = timezone.now()
    booking.save(update_fields=["notes", "updated_at"])
    record(actor=actor, action="booking.noted", target=booking)
