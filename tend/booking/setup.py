"""The practitioner's setup: their profile and photo, weekly hours and date overrides, call types.

Writes, as ``services.py`` (which re-exports them, so that ``services.profile_turn_on`` still
names each) holds the bookings themselves.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.booking import photos
from tend.booking.intake import clean_questions
from tend.booking.models import (
    DEFAULT_CALL_NAME,
    CallType,
    DateOverride,
    PractitionerPhoto,
    PractitionerProfile,
    WeeklyHours,
)
from tend.core.audit import record

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
