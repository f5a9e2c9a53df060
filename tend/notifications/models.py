"""Notifications: in-app notices, reminders waiting to go out, push subscriptions, preferences.

Everything here is content-free: a notice carries a code (see ``messages.py``) and a link into
Tend, never a name or anything a person wrote.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """An in-app notice: a code and a link, read or not."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    code = models.CharField(max_length=40)
    link = models.CharField(max_length=200, blank=True)
    # A reminder delivers at most one in-app notice: the database says so, too.
    reminder = models.OneToOneField(
        "Reminder", null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.code


class Reminder(models.Model):
    """Something to tell a person at ``due_at``, delivered once by whichever worker claims it.

    A worker claims a batch with one conditional UPDATE (``claimed_at`` empty, or older than the
    lease) that stamps its own ``claim_token``; only rows carrying its token are its to send.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    code = models.CharField(max_length=40)
    link = models.CharField(max_length=200, blank=True)
    # Ids and times only (e.g. "ritual:<uuid>:2026-03-01T18:00Z"): the same reminder is never
    # scheduled twice.
    dedupe_key = models.CharField(max_length=120)
    due_at = models.DateTimeField()
    # When the next attempt may happen: due_at at first, later the end of quiet hours or a
    # retry's backoff. Staleness is measured from here.
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)
    drop_reason = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="reminder_once_per_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="reminder_pending",
                condition=models.Q(sent_at=None, dropped_at=None),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} at {self.due_at:%Y-%m-%d %H:%M}"


class Preferences(models.Model):
    """How and when a person wants to hear from Tend."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    email = models.BooleanField(default=True)
    push = models.BooleanField(default=True)
    # Local wall times in the person's own time zone; start > end wraps past midnight.
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "notification preferences"


class PushSubscription(models.Model):
    """A browser's Web Push endpoint and keys (from PushManager.subscribe())."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "push subscription"
