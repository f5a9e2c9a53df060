"""Every write of booking: the practitioner's profile, call types, hours, and bookings.

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
import itertools
import json
import secrets
import uuid
import zoneinfo
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.booking import busyfeed, photos, reminders, selectors, slots
from tend.booking.intake import clean_intake, clean_questions
from tend.booking.models import (
    DEFAULT_CALL_NAME,
    Booking,
    BusyInterval,
    CallType,
    DateOverride,
    ExternalCalendar,
    PractitionerPhoto,
    PractitionerProfile,
    WeeklyHours,
)
from tend.core.audit import record
from tend.core.tasks import enqueue_on_commit
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


# ---- Profile ------------------------------------------------------------------------------


def _free_slug(base: str) -> str:
    base = slugify(base)[:50] or "practitioner"
    slug, n = base, 1
    while PractitionerProfile.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def profile_turn_on(*, actor: User) -> PractitionerProfile:
    """Turn on "I offer calls"; the first time, make the profile and the default call type."""
    profile = PractitionerProfile.objects.select_for_update().filter(user=actor).first()
    if profile is None:
        name = actor.display_name or _("Practitioner")
        profile = PractitionerProfile.objects.create(
            user=actor, slug=_free_slug(name), public_name=name, time_zone=actor.time_zone
        )
    profile.offering = True
    profile.updated_at = timezone.now()
    profile.save(update_fields=["offering", "updated_at"])
    if not CallType.objects.filter(practitioner=actor).exists():
        CallType.objects.create(
            practitioner=actor, name=_(DEFAULT_CALL_NAME), duration_minutes=30, is_default=True
        )
    record(actor=actor, action="booking.profile_on", target=profile)
    return profile


@transaction.atomic
def profile_turn_off(*, actor: User) -> None:
    """Hide the public page at once; booked calls stay as they are."""
    changed = PractitionerProfile.objects.filter(user=actor, offering=True).update(
        offering=False, updated_at=timezone.now()
    )
    if changed:
        record(actor=actor, action="booking.profile_off")


# Words the booking pages use themselves under /book/.
RESERVED_SLUGS = frozenset({"manage"})
PROFILE_FIELDS = ("slug", "public_name", "pronouns", "bio", "approach", "languages", "time_zone")


@transaction.atomic
def profile_update(*, actor: User, profile: PractitionerProfile, **fields: Any) -> None:
    """Change the profile; ``profile`` is the actor's own (``selectors.profile_of``)."""
    if profile.user_id != actor.id:
        raise PermissionError("not the actor's profile")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.slug = (profile.slug or "").strip().lower()
    profile.full_clean(exclude=["user"], validate_unique=False)
    if profile.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("That address is taken; try another.")})
    if PractitionerProfile.objects.filter(slug=profile.slug).exclude(id=profile.id).exists():
        raise ValidationError({"slug": _("That address is taken; try another.")})
    profile.updated_at = timezone.now()
    profile.save()
    record(
        actor=actor,
        action="booking.profile_updated",
        target=profile,
        meta={"fields": sorted(fields)},
    )


@transaction.atomic
def photo_set(*, actor: User, profile: PractitionerProfile, photo: photos.Photo) -> None:
    """Replace the profile's photo with ``photo`` (already re-encoded by photos.prepare)."""
    if profile.user_id != actor.id:
        raise PermissionError("not the actor's profile")
    PractitionerPhoto.objects.update_or_create(
        profile=profile,
        defaults={"data": photo.data, "width": photo.width, "height": photo.height},
    )
    profile.photo_at = timezone.now()
    profile.save(update_fields=["photo_at"])
    record(actor=actor, action="booking.photo_set", target=profile)


@transaction.atomic
def photo_remove(*, actor: User, profile: PractitionerProfile) -> None:
    if profile.user_id != actor.id:
        raise PermissionError("not the actor's profile")
    if PractitionerPhoto.objects.filter(profile=profile).delete()[0] or profile.photo_at:
        profile.photo_at = None
        profile.save(update_fields=["photo_at"])
        record(actor=actor, action="booking.photo_removed", target=profile)


# ---- Availability -------------------------------------------------------------------------


def _check_ranges(ranges: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    ordered = sorted(ranges)
    for start, end in ordered:
        if end <= start:
            raise ValidationError(
                _("Each range must end after it starts (no ranges over midnight).")
            )
    for (_s1, e1), (s2, _e2) in itertools.pairwise(ordered):
        if s2 < e1:
            raise ValidationError(_("Two ranges overlap; join them into one."))
    return ordered


@transaction.atomic
def weekly_hours_set(*, actor: User, weekday: int, ranges: list[tuple[dt.time, dt.time]]) -> None:
    """Replace the working hours of one weekday (0 = Monday) with ``ranges``."""
    if not 0 <= weekday <= 6:
        raise ValidationError(_("Choose a day of the week."))
    ordered = _check_ranges(ranges)
    WeeklyHours.objects.filter(practitioner=actor, weekday=weekday).delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(practitioner=actor, weekday=weekday, start=s, end=e) for s, e in ordered
    )
    record(
        actor=actor, action="booking.hours_set", meta={"weekday": weekday, "ranges": len(ordered)}
    )


@transaction.atomic
def override_set(*, actor: User, date: dt.date, ranges: list[tuple[dt.time, dt.time]]) -> None:
    """Other hours on one date; no ranges makes it a day off."""
    ordered = _check_ranges(ranges)
    DateOverride.objects.filter(practitioner=actor, date=date).delete()
    rows = [DateOverride(practitioner=actor, date=date, start=s, end=e) for s, e in ordered]
    DateOverride.objects.bulk_create(rows or [DateOverride(practitioner=actor, date=date)])
    record(actor=actor, action="booking.override_set", meta={"date": date.isoformat()})


@transaction.atomic
def override_remove(*, actor: User, date: dt.date) -> None:
    DateOverride.objects.filter(practitioner=actor, date=date).delete()
    record(actor=actor, action="booking.override_removed", meta={"date": date.isoformat()})


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
    rows = PractitionerProfile.objects.filter(user_id=practitioner_id)
    if connection.features.has_select_for_update:
        rows = rows.select_for_update()
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
                    practitioner_id=call_type.practitioner_id,
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


# ---- Call types ---------------------------------------------------------------------------

CALL_TYPE_FIELDS = (
    "name",
    "duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "horizon_days",
    "daily_limit",
    "step_minutes",
    "location_kind",
    "location",
    "questions",
    "consents",
    "reminder_offsets",
    "cancellation_note",
)


@transaction.atomic
def call_type_save(*, actor: User, call_type: CallType | None = None, **fields: Any) -> CallType:
    """Create a call type, or change ``call_type`` (one of the actor's, from a selector)."""
    if call_type is not None and call_type.practitioner_id != actor.id:
        raise PermissionError("not the actor's call type")
    unknown = set(fields) - set(CALL_TYPE_FIELDS)
    if unknown:
        raise TypeError(f"unknown call type fields: {sorted(unknown)}")
    if "questions" in fields:
        fields["questions"] = clean_questions(fields["questions"])
    made = call_type or CallType(practitioner=actor)
    for name, value in fields.items():
        setattr(made, name, value)
    made.full_clean(exclude=["practitioner"])
    made.save()
    record(
        actor=actor,
        action="booking.call_type_created" if call_type is None else "booking.call_type_changed",
        target=made,
        meta={"fields": sorted(fields)},
    )
    return made


@transaction.atomic
def call_type_archive(*, actor: User, call_type: CallType) -> None:
    """No longer offer a call type; its booked calls stay."""
    if call_type.practitioner_id != actor.id:
        raise PermissionError("not the actor's call type")
    CallType.objects.filter(id=call_type.id).update(active=False)
    record(actor=actor, action="booking.call_type_archived", target=call_type)


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


# ---- External calendar --------------------------------------------------------------------

CALENDAR_EVERY = dt.timedelta(minutes=15)
CALENDAR_AHEAD = dt.timedelta(days=366)
CALENDAR_TIMEOUT = 10.0


@transaction.atomic
def calendar_set(*, actor: User, url: str) -> ExternalCalendar:
    """Read busy times from the calendar at ``url`` (a secret address); replaces any other."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
        raise ValidationError({"url": busyfeed.status_words("bad_url")})
    ExternalCalendar.objects.filter(practitioner=actor).delete()
    calendar = ExternalCalendar(practitioner=actor, url=url)
    calendar.save(force_insert=True)
    record(actor=actor, action="booking.calendar_set", target=calendar)
    from tend.booking.tasks import refresh_calendar

    enqueue_on_commit(refresh_calendar, str(calendar.id))
    return calendar


@transaction.atomic
def calendar_remove(*, actor: User) -> None:
    if ExternalCalendar.objects.filter(practitioner=actor).delete()[0]:
        record(actor=actor, action="booking.calendar_removed")


def calendar_refresh(*, calendar_id: uuid.UUID, now: dt.datetime | None = None) -> str | None:
    """Fetch one calendar now and store its busy times; answer the status (None if gone)."""
    now = now or timezone.now()
    calendar = (
        ExternalCalendar.objects.select_related("practitioner__data_key")
        .filter(id=calendar_id)
        .first()
    )
    if calendar is None:
        return None
    profile = PractitionerProfile.objects.filter(user_id=calendar.practitioner_id).first()
    zone = zoneinfo.ZoneInfo(profile.time_zone) if profile else None
    # The network call happens outside any transaction: it may take seconds.
    result = busyfeed.fetch_busy(
        calendar.url,
        etag=calendar.etag or None,
        last_modified=calendar.last_modified or None,
        window_start=now - dt.timedelta(days=1),
        window_end=now + CALENDAR_AHEAD,
        timeout=CALENDAR_TIMEOUT,
        zone=zone,
    )
    with transaction.atomic():
        fields: dict[str, Any] = {
            "status": result.status,
            "http_status": result.http_status,
            "last_fetch_at": now,
            "etag": (result.etag or "")[:200],
            "last_modified": (result.last_modified or "")[:100],
        }
        if result.status in ("ok", "not_modified"):
            fields["last_success_at"] = now
        if not ExternalCalendar.objects.filter(id=calendar.id).update(**fields):
            return None  # removed meanwhile
        if result.status == "ok":
            BusyInterval.objects.filter(calendar_id=calendar.id).delete()
            BusyInterval.objects.bulk_create(
                BusyInterval(calendar_id=calendar.id, start=s, end=e) for s, e in result.busy
            )
    return result.status


def calendars_refresh_due(*, now: dt.datetime | None = None, limit: int = 20) -> int:
    """Refresh the calendars not fetched for a while; claims each so one worker fetches it."""
    now = now or timezone.now()
    due = ExternalCalendar.objects.filter(
        Q(last_fetch_at=None) | Q(last_fetch_at__lt=now - CALENDAR_EVERY)
    ).values_list("id", "last_fetch_at")[:limit]
    done = 0
    for calendar_id, last in list(due):
        # The conditional UPDATE is the claim: only the worker that moves last_fetch_at on
        # fetches this calendar in this round.
        if ExternalCalendar.objects.filter(id=calendar_id, last_fetch_at=last).update(
            last_fetch_at=now
        ):
            calendar_refresh(calendar_id=calendar_id, now=now)
            done += 1
    return done
