"""Connections between people who both use Tend, the invitations that make them, and shares.

Nothing is shared by default. A ``Share`` is a grant by an owner to the other person of one
connection, for one scope; it is honoured only while the connection is active, the share is not
revoked and not expired. Those three conditions are checked at query time by the selectors
(``tend/connections/selectors.py``), so that revoking or ending takes effect with the next request.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tend.core.fields import EncryptedTextField


class Kind(models.TextChoices):
    PARTNER = "partner", _("Partner")
    NESTING_PARTNER = "nesting_partner", _("Nesting partner")
    DATE = "date", pgettext_lazy("kind of connection", "Date")
    METAMOUR = "metamour", _("Metamour")
    FRIEND = "friend", _("Friend")
    SUPPORT = "support", _("Support person")
    # The inviter is the practitioner, the person who accepts is their client (coaching).
    PRACTITIONER = "practitioner", _("Practitioner")


def pair_key(a_id: uuid.UUID | str, b_id: uuid.UUID | str) -> str:
    """The same key for (a, b) and (b, a): one active connection per pair of people."""
    first, second = sorted((str(a_id), str(b_id)))
    return f"{first}:{second}"


class Connection(models.Model):
    """Two people connected: ``user_a`` invited, ``user_b`` accepted. The kind is shared."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pair = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Ended "quietly": the other person gets no notice, and the connection leaves their list.
    ended_quietly = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["user_a", "status"], name="connection_a_status"),
            models.Index(fields=["user_b", "status"], name="connection_b_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(user_a=F("user_b")), name="connection_not_with_oneself"
            ),
            models.UniqueConstraint(
                fields=["pair"],
                condition=Q(status="active"),
                name="connection_one_active_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "ended"]), name="connection_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"connection {self.id}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def other(self, viewer_id: uuid.UUID) -> uuid.UUID:
        return self.user_b_id if self.user_a_id == viewer_id else self.user_a_id


class ConnectionLabel(models.Model):
    """What one person privately calls the other: one row per side, encrypted by its owner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="labels")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    label = EncryptedTextField(owner="owner")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "owner"], name="connection_label_one_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"label {self.id}"


class PolyculeSetting(models.Model):
    """How a person appears to people they are not directly connected to (metamours, one hop).

    Without a row, a person is hidden: nothing about them shows one hop out unless they choose.
    """

    class Appear(models.TextChoices):
        HIDDEN = "hidden", _("Don't show me")
        NAME = "name", _("My name only")
        NAME_AND_KIND = "name_and_kind", _("My name and how we are connected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="polycule_setting",
    )
    appear_to_metamours = models.CharField(
        max_length=16, choices=Appear.choices, default=Appear.HIDDEN
    )
    # Whether the people I am connected with may see my other connections (who consent) at all.
    show_my_connections = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"polycule setting {self.user_id}"


class DiscreetSetting(models.Model):
    """Whether Tend shows a neutral name and icon ("Notes") in the tab, top bar and favicon.

    For someone whose screen others may glance at. Without a row, Tend looks like Tend.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="discreet_setting",
    )
    neutral_name = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"discreet setting {self.user_id}"


class Invitation(models.Model):
    """An invitation to connect, by email or by link. The secret is stored only as a hash."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Blank for a link invitation. Kept so the inviter recognises it in their list.
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    connection = models.ForeignKey(
        Connection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["inviter", "revoked_at"], name="invitation_inviter")]

    def __str__(self) -> str:
        return f"invitation {self.id}"


class Share(models.Model):
    """A revocable grant by ``owner`` to ``recipient`` (over one connection) of one scope."""

    class Scope(models.TextChoices):
        MOMENT = "moment", _("One moment")
        THEME = "theme", _("Every moment of a theme")
        WEEKLY_SUMMARY = "weekly_summary", _("A weekly summary")
        TRIGGER_MAP = "trigger_map", _("My trigger map")
        # Sessions of the practices a practitioner suggested over this connection.
        PRACTICE_PROGRESS = "practice_progress", _("My practice progress")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="shares")
    scope = models.CharField(max_length=24, choices=Scope.choices)
    moment = models.ForeignKey(
        "journal.Moment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(
        "journal.Theme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For a weekly summary: whether stories come along (off unless the owner chooses).
    include_stories = models.BooleanField(default=False)
    # "So you understand, not to discuss without me": the owner's words, encrypted.
    note = EncryptedTextField(owner="owner", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["recipient", "revoked_at"], name="share_recipient"),
            models.Index(fields=["owner", "revoked_at"], name="share_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    scope__in=[
                        "moment",
                        "theme",
                        "weekly_summary",
                        "trigger_map",
                        "practice_progress",
                    ]
                ),
                name="share_scope_known",
            ),
            models.CheckConstraint(
                condition=~Q(scope="moment") | Q(moment__isnull=False),
                name="share_moment_has_moment",
            ),
            models.CheckConstraint(
                condition=~Q(scope="theme") | Q(theme__isnull=False),
                name="share_theme_has_theme",
            ),
            models.CheckConstraint(
                condition=~Q(owner=F("recipient")), name="share_not_with_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"share {self.id}"
