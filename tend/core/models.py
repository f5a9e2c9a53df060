from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Who did what to which row: ids and actions only, never what anybody wrote.

    ``subject`` is the person whose data or account the event concerns, so that a person can be
    shown the events about them (sign-ins, token changes, and who viewed what they shared).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # No index of its own: audit_subject_at (below) starts with the subject, and one fewer index
    # is one fewer write in every audited action.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
        db_index=False,
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    meta = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "-at"], name="audit_subject_at")]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class DataKey(models.Model):
    """A person's data key, wrapped by a key-encryption key that never enters the database.

    ``wrapped`` is ``version + nonce + AES-GCM(data key)``, bound to the owner's id; ``kek_id``
    names the key-encryption key that wrapped it, so that keys can rotate. Deleting the row is
    crypto-shredding: see tend/core/vault.py for what that does and does not promise.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_key"
    )
    wrapped = models.BinaryField()
    kek_id = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"data key of {self.user_id} (wrapped by {self.kek_id})"


class KeyFingerprint(models.Model):
    """A fingerprint of a key every app server and worker on this database must share.

    ``name`` is ``kek:<key id>`` for a key-encryption key, or ``secret_key`` for Django's
    ``SECRET_KEY``. The fingerprint is an HMAC of a fixed label under the key: it tells two keys
    apart without revealing either. ``tend/core/preflight.py`` compares them at start.
    """

    name = models.CharField(primary_key=True, max_length=80)
    fingerprint = models.CharField(max_length=64)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.name


class PeriodicRun(models.Model):
    """The last time slot a periodic job ran in, claimed with a conditional UPDATE.

    Every worker's scheduler enqueues the periodic ``tick``; the one that claims the slot runs it,
    the others return at once (see ``tend/core/tasks.py``).
    """

    name = models.CharField(primary_key=True, max_length=80)
    slot = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.slot:%Y-%m-%d %H:%M}"
