"""Booking: a practitioner's profile, call types, availability, bookings and calendar feed.

Times of bookings are stored in UTC; working hours and overrides are wall times in the
practitioner's own zone (``PractitionerProfile.time_zone``) and are placed on the time line by
``tend.booking.slots``. Everything a booker writes is encrypted under the **practitioner's**
data key: the booker wrote it for them, and deleting the practitioner's account shreds it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tend.accounts.models import validate_time_zone
from tend.core.fields import EncryptedTextField

DEFAULT_CALL_NAME = gettext_noop("Trigger Mapping Call")
DEFAULT_REMINDER_OFFSETS = (24 * 60, 60)  # minutes before the call


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class PractitionerProfile(models.Model):
    """ "I offer calls": off until the person turns it on; turning it off hides the page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioner_profile"
    )
    offering = models.BooleanField(_("I offer calls"), default=False)
    slug = models.SlugField(_("address of your booking page"), max_length=60, unique=True)
    public_name = models.CharField(_("public name"), max_length=80)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    # Published on the booking page, but still the person's own words: encrypted like any
    # other, and shredded with the account.
    bio = EncryptedTextField(_("short bio"), owner="user", blank=True, max_length=1500)
    approach = EncryptedTextField(_("approach"), owner="user", blank=True, max_length=1500)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    # When the photo (PractitionerPhoto) was last set, None without one: the page knows whether
    # to show it, and its address changes with it, without loading the image.
    photo_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.public_name


class PractitionerPhoto(models.Model):
    """The re-encoded photo (a JPEG of at most 512 px with no metadata, tend/booking/photos.py).
    In the database, so backups and account deletion hold it like everything else; apart from
    the profile so that reading a profile never loads it."""

    profile = models.OneToOneField(
        PractitionerProfile, on_delete=models.CASCADE, primary_key=True, related_name="photo"
    )
    data = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


class CallType(models.Model):
    """What a practitioner offers, e.g. the free 30-minute Trigger Mapping Call."""

    class Location(models.TextChoices):
        VIDEO = "video", _("Video call (a link you give)")
        PHONE = "phone", _("Phone")
        ADDRESS = "address", _("In person (an address)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_types"
    )
    name = models.CharField(_("name"), max_length=80)
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=30)
    buffer_before_minutes = models.PositiveSmallIntegerField(_("free minutes before"), default=0)
    buffer_after_minutes = models.PositiveSmallIntegerField(_("free minutes after"), default=0)
    min_notice_minutes = models.PositiveIntegerField(_("minimum notice in minutes"), default=720)
    horizon_days = models.PositiveSmallIntegerField(_("bookable up to days ahead"), default=60)
    daily_limit = models.PositiveSmallIntegerField(_("calls a day at most"), null=True, blank=True)
    step_minutes = models.PositiveSmallIntegerField(_("a start every … minutes"), default=30)
    location_kind = models.CharField(
        _("where"), max_length=8, choices=Location.choices, default=Location.VIDEO
    )
    # Shown to the booker only once booked, so it is kept like the practitioner's own words.
    location = EncryptedTextField(
        _("link, number or address"), owner="practitioner", blank=True, max_length=500
    )
    # The practitioner's own questions after the default intake:
    # [{"key", "label", "kind": short|long|one|several|yesno, "choices": [...], "required"}].
    questions = models.JSONField(default=list, blank=True)
    # Statements the booker must tick; each is stored with its text and time on the booking.
    consents = models.JSONField(default=list, blank=True)
    reminder_offsets = models.JSONField(default=default_reminder_offsets, blank=True)
    cancellation_note = models.CharField(_("cancellation note"), max_length=500, blank=True)
    is_default = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="call_type_duration_range",
            ),
            models.CheckConstraint(
                condition=models.Q(buffer_before_minutes__lte=240, buffer_after_minutes__lte=240),
                name="call_type_buffers_range",
            ),
            models.CheckConstraint(
                condition=models.Q(step_minutes__gte=5, step_minutes__lte=480),
                name="call_type_step_range",
            ),
            models.CheckConstraint(
                condition=models.Q(horizon_days__gte=1, horizon_days__lte=365),
                name="call_type_horizon_range",
            ),
            models.CheckConstraint(
                condition=models.Q(location_kind__in=["video", "phone", "address"]),
                name="call_type_location_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WeeklyHours(models.Model):
    """One range of working hours on a weekday, in the practitioner's wall time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday … 6 = Sunday
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ("weekday", "start")
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="weekly_hours_weekday"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="weekly_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class DateOverride(models.Model):
    """Other hours on one date; a row without times makes the whole date a day off."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="date_overrides"
    )
    date = models.DateField()
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ("date", "start")
        indexes = [models.Index(fields=["practitioner", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True, end__isnull=True)
                | models.Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="date_override_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}"


class Booking(models.Model):
    """One call booked by a visitor for one time.

    ``block_start``/``block_end`` is the call widened by its call type's buffers: the span no
    other booking of the same practitioner may touch. On PostgreSQL an exclusion constraint
    over it (migration 0002) makes a double booking impossible whatever the application does.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    class CancelledBy(models.TextChoices):
        BOOKER = "booker", _("the person who booked")
        PRACTITIONER = "practitioner", _("you")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    call_type = models.ForeignKey(CallType, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    block_start = models.DateTimeField()
    block_end = models.DateTimeField()
    booker_name = EncryptedTextField(owner="practitioner", max_length=100)
    booker_email = EncryptedTextField(owner="practitioner", max_length=254)
    # A keyed digest of the lower-cased address, so the open bookings of one address can be
    # counted without storing it in the clear.
    booker_email_digest = models.CharField(max_length=64)
    booker_pronouns = EncryptedTextField(owner="practitioner", blank=True, max_length=40)
    booker_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    booker_language = models.CharField(max_length=8, default="en")
    # The intake answers as JSON, encrypted as one value.
    intake = EncryptedTextField(owner="practitioner", blank=True)
    # [{"text": the statement as shown, "at": ISO time ticked}]: the practitioner's published
    # statements, kept verbatim so that a later edit does not change what was agreed.
    consents = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=12, choices=CancelledBy.choices, blank=True)
    cancel_reason = EncryptedTextField(owner="practitioner", blank=True, max_length=500)
    # SHA-256 of the manage link's secret; the secret itself is only ever in the booker's email.
    manage_secret_hash = models.CharField(max_length=64, unique=True)
    # RFC 5545 SEQUENCE: raised on every change the booker's calendar must pick up.
    sequence = models.PositiveIntegerField(default=0)
    notes = EncryptedTextField(owner="practitioner", blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("start",)
        indexes = [
            models.Index(fields=["practitioner", "start"]),
            models.Index(fields=["practitioner", "booker_email_digest"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_order"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    block_start__lte=models.F("start"), block_end__gte=models.F("end")
                ),
                name="booking_block_covers_call",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["confirmed", "cancelled", "attended", "no_show"]),
                name="booking_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}Z"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.CONFIRMED


class ExternalCalendar(models.Model):
    """The practitioner's own calendar (a secret iCalendar address) read for busy times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_calendar"
    )
    # The secret address is a credential: encrypted, never logged, never shown again whole.
    url = EncryptedTextField(owner="practitioner", max_length=2000)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, blank=True)  # a busyfeed.FeedResult status
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar {self.status or 'new'}"


class BusyInterval(models.Model):
    """A busy span read from the external calendar: only its start and end are kept."""

    id = models.BigAutoField(primary_key=True)
    calendar = models.ForeignKey(ExternalCalendar, on_delete=models.CASCADE, related_name="busy")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["calendar", "start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="busy_order")
        ]

    def __str__(self) -> str:
        return f"busy {self.start:%Y-%m-%d %H:%M}Z"


class BookingReminder(models.Model):
    """One reminder of one booking to one party, at one offset before the call.

    Planned when a booking is made or moved (the unsent ones of its old time are deleted
    first), deleted when it is cancelled. Delivery claims rows with a conditional UPDATE
    (``claim_token``), so that several workers send each exactly once.
    """

    class Recipient(models.TextChoices):
        BOOKER = "booker", _("the person who booked")
        PRACTITIONER = "practitioner", _("the practitioner")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.CharField(max_length=12, choices=Recipient.choices)
    offset_minutes = models.PositiveIntegerField()
    # The call's start this reminder was planned for: a reminder for an older time is skipped.
    for_start = models.DateTimeField()
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "dropped_at", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "recipient", "offset_minutes", "for_start"],
                name="booking_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.recipient} {self.offset_minutes}m"
