"""Practice sessions (what a person did, and how intense it was before and after), a person's own
practices, and shared breathing sessions.

The catalogue of practices is code (``catalogue.py``); sessions refer to it by its stable code.
The drop from ``intensity_before`` to ``intensity_after`` is how Tend learns what helps a person.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tend.core.fields import EncryptedTextField


class CustomPractice(models.Model):
    """A practice in a person's own words, perhaps with their own breath pattern."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_practices"
    )
    # The person's own words, so they go through the vault. Steps are one per line.
    name = EncryptedTextField(owner="author")
    steps = EncryptedTextField(owner="author", blank=True)
    kind = models.CharField(max_length=16, default="breath")
    # Seconds per phase: [in, hold, out, hold]; empty for a practice without a pacer.
    pattern = models.JSONField(default=list, blank=True)
    duration_seconds = models.PositiveIntegerField(default=180)
    suits_states = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["author", "created_at"], name="custompractice_author")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_seconds__gte=10, duration_seconds__lte=3600),
                name="custompractice_duration_range",
            ),
        ]

    def __str__(self) -> str:
        # Never the name: a str() may end up in a log line or an admin page title.
        return f"custom practice {self.id}"


class PracticeSession(models.Model):
    """One run of a practice: when, for how long, and the intensity before and after."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    # A catalogue code, or "custom" with ``custom_practice`` set.
    practice_code = models.CharField(max_length=40)
    custom_practice = models.ForeignKey(
        CustomPractice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    started_at = models.DateTimeField(default=timezone.now)
    duration_seconds = models.PositiveIntegerField(default=0)
    intensity_before = models.PositiveSmallIntegerField(null=True, blank=True)
    intensity_after = models.PositiveSmallIntegerField(null=True, blank=True)
    # A journal state code; blank when the person did not say.
    state = models.CharField(max_length=16, blank=True)
    moment = models.ForeignKey(
        "journal.Moment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_sessions",
    )
    # The rating form's key when the run was attached to an existing moment: a second submit of
    # that form (a double tap, a retry) finds this session instead of saving the run again.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-created_at"]
        indexes = [
            models.Index(fields=["author", "started_at"], name="practicesession_author_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity_before__isnull=True)
                | Q(intensity_before__gte=0, intensity_before__lte=10),
                name="practicesession_before_0_10",
            ),
            models.CheckConstraint(
                condition=Q(intensity_after__isnull=True)
                | Q(intensity_after__gte=0, intensity_after__lte=10),
                name="practicesession_after_0_10",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__lte=86400),
                name="practicesession_duration_day",
            ),
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="practicesession_unique_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"practice session {self.id}"

    @property
    def drop(self) -> int | None:
        if self.intensity_before is None or self.intensity_after is None:
            return None
        return self.intensity_before - self.intensity_after


class SharedBreath(models.Model):
    """A pacer two people follow at once from the server's clock ("breathe together").

    The link carries a random token; only its SHA-256 is stored, so the database cannot be used
    to join. A session lasts at most an hour and either person can end it; afterwards the link
    answers "ended" and nothing more. The first other person who opens the link becomes its
    ``guest``; from then on nobody else can.

    When the host invites one of their connections instead, the seat is kept for that
    ``invitee``: they open the session by its id (no secret in the notice that tells them), only
    while still connected with the host, and the secret link no longer seats anyone else.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_breaths"
    )
    guest = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_breaths_joined",
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_breaths_invited",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    pattern = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["host", "started_at"], name="sharedbreath_host_start")]
        constraints = [
            # A kept seat is taken by the person it was kept for, or by nobody.
            models.CheckConstraint(
                condition=Q(invitee__isnull=True)
                | Q(guest__isnull=True)
                | Q(guest=models.F("invitee")),
                name="sharedbreath_guest_is_invitee",
            ),
        ]

    def __str__(self) -> str:
        return f"shared breath {self.id}"

    def is_live(self, now: dt.datetime | None = None) -> bool:
        return self.ended_at is None and (now or timezone.now()) < self.expires_at
