"""Care plans: agreements instead of rules.

A plan belongs to its parties (two people of a connection, or a group). Its words live in
versions: every change is a proposed version, encrypted with its author's key, and becomes the
active version only when every party has agreed. Earlier versions stay as history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tend.core.fields import EncryptedTextField


class CarePlan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Set for a plan between the two people of one connection; empty for a group plan.
    connection = models.ForeignKey(
        "connections.Connection",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="careplans",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    review_on = models.DateField(null=True, blank=True)
    # Set when someone withdrew their agreement from the active version.
    under_review_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "care plan"


class Party(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="parties")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="careplan_parties"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # Set when this person left a group plan: someone in it ended their connection with them
    # (or ran Safety Check). The row stays so that old versions still name who agreed to them.
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="party_once")]

    def __str__(self) -> str:
        return "care plan party"


class Version(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        SUPERSEDED = "superseded", _("Earlier version")
        DECLINED = "declined", _("Not agreed")
        OUTDATED = "outdated", _("Based on an earlier version")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="versions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The active version this proposal changes (empty for the first).
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The whole plan as JSON (tender places and free sections), in the author's key.
    content = EncryptedTextField(owner="author", max_length=60000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    number = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["plan", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="active"),
                name="one_active_version_per_plan",
            ),
            # A proposal has no number until it is agreed; NULLs are distinct by default on
            # SQLite and PostgreSQL alike, so any number of proposals may wait.
            models.UniqueConstraint(fields=["plan", "number"], name="version_number_once"),
        ]

    def __str__(self) -> str:
        return f"version {self.number or '(proposed)'}"


class Agreement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="agreements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="agreement_once")]

    def __str__(self) -> str:
        return "agreement"


class Repair(models.Model):
    """A rupture and its repair: a pause with a return time, then each one's debrief."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.CASCADE, related_name="repairs"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    paused_at = models.DateTimeField(default=timezone.now)
    return_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["connection", "-paused_at"])]

    def __str__(self) -> str:
        return "repair"


class Debrief(models.Model):
    """One person's reflection after a repair, in their own key; shared with the other."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="debriefs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    what_happened = EncryptedTextField(owner="author", blank=True, max_length=4000)
    my_part = EncryptedTextField(owner="author", blank=True, max_length=4000)
    try_next = EncryptedTextField(owner="author", blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["repair", "author"], name="debrief_once")]

    def __str__(self) -> str:
        return "debrief"


class PlaceTheme(models.Model):
    """A private link from one's own tender place to one's own journal theme.

    Only the owner ever sees it: the others see the tender place in the words the owner chose,
    never the theme's name or anything filed under it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="+")
    place_id = models.CharField(max_length=40)
    theme = models.ForeignKey("journal.Theme", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "plan", "place_id"], name="place_theme_once")
        ]

    def __str__(self) -> str:
        return "tender place theme link"
