"""Rituals (a rhythm of connection), their occurrences, calendar feeds and check-ins.

A ritual's schedule is an RFC 5545 RRULE over a local wall-clock start (``start_date`` +
``start_time`` in ``time_zone``), expanded with zoneinfo so 19:00 stays 19:00 across daylight
saving changes. No row exists for an occurrence until someone marks it done, skipped or moved.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tend.core.fields import EncryptedTextField


class Ritual(models.Model):
    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("Weekly check-in")
        AFFIRMATION = "affirmation", _("Affirmation")
        TOUCHPOINT = "touchpoint", _("Touch point while apart")
        REPAIR = "repair", _("Coming back together")

    class Basis(models.TextChoices):
        TOGETHER = "together", _("At the same moment for everyone (in my time zone)")
        EACH_LOCAL = "each_local", _("At this local time wherever each of us is")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rituals"
    )
    connection = models.ForeignKey(
        "connections.Connection",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rituals",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # One's own words (an affirmation, a name for the ritual); never in a feed or a reminder.
    words = EncryptedTextField(owner="owner", blank=True, max_length=300)
    rrule = models.CharField(max_length=300)
    start_date = models.DateField()
    start_time = models.TimeField()
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    basis = models.CharField(max_length=12, choices=Basis.choices, default=Basis.TOGETHER)
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "archived_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["checkin", "affirmation", "touchpoint", "repair"]),
                name="ritual_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=1440),
                name="ritual_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class OccurrenceState(models.Model):
    """An occurrence someone marked: done, skipped or moved. Nothing else is counted."""

    class State(models.TextChoices):
        DONE = "done", pgettext_lazy("a ritual that happened", "Done")
        SKIPPED = "skipped", _("Skipped")
        MOVED = "moved", _("Moved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="states")
    # The computed start this row is about (UTC), as the schedule produced it.
    original_start = models.DateTimeField()
    # Set for rituals kept at each person's own local time: whose occurrence it is.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices)
    moved_to = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One state per occurrence and person, and one for an occurrence kept together
            # (no person). Two partial constraints say it on SQLite too, which ignores
            # nulls_distinct.
            models.UniqueConstraint(
                fields=["ritual", "original_start", "person"],
                condition=models.Q(person__isnull=False),
                name="occurrence_state_once",
            ),
            models.UniqueConstraint(
                fields=["ritual", "original_start"],
                condition=models.Q(person__isnull=True),
                name="occurrence_state_once_together",
            ),
            models.CheckConstraint(
                condition=models.Q(state="moved", moved_to__isnull=False)
                | ~models.Q(state="moved"),
                name="occurrence_moved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.original_start:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A person's private calendar link. Only a hash of its secret is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    discreet = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "calendar feed"


class CheckIn(models.Model):
    """One check-in between the two people of a connection: private answers, revealed together."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.CASCADE, related_name="checkins"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["connection", "-created_at"])]

    def __str__(self) -> str:
        return f"check-in {self.created_at:%Y-%m-%d}"


class CheckInAnswer(models.Model):
    """One person's answers to a check-in's agenda, encrypted with their own key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appreciations = EncryptedTextField(owner="author", blank=True, max_length=4000)
    went_well = EncryptedTextField(owner="author", blank=True, max_length=4000)
    coming_up = EncryptedTextField(owner="author", blank=True, max_length=4000)
    tender = EncryptedTextField(owner="author", blank=True, max_length=4000)
    careplan_review = EncryptedTextField(owner="author", blank=True, max_length=4000)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkin", "author"], name="checkin_answer_once")
        ]

    def __str__(self) -> str:
        return "check-in answer"


class ActionItem(models.Model):
    """Something someone will do, from a check-in; it carries over until it is done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.CASCADE, related_name="action_items"
    )
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="action_items")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(owner="author", max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["connection", "done_at"])]

    def __str__(self) -> str:
        return "action item"
