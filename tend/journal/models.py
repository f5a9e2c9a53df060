"""Moments: one journal entry each, an activation (a cue of threat) or a glimmer (of safety).

Free text is what a person wrote and is encrypted at rest; the structured fields (kind, states,
intensities, body regions, needs, contexts, times) stay queryable for insights. The rules that
need the vocabulary live in ``validation.py``; the model holds what the database can enforce.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tend.core.fields import EncryptedTextField
from tend.journal import vocabulary
from tend.journal.content_models import MomentContent


class Moment(MomentContent):
    class Kind(models.TextChoices):
        ACTIVATION = "activation", _("Activation")
        GLIMMER = "glimmer", _("Glimmer")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: moment_author_occurred (below) starts with the author, and one fewer
    # index is one fewer write in every capture.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moments", db_index=False
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ACTIVATION)
    occurred_at = models.DateTimeField(default=timezone.now)
    # What the person wrote and the structured fields: ``MomentContent``.

    # One theme at most: see ``Theme`` for why this is a foreign key and not a many-to-many.
    theme = models.ForeignKey(
        "journal.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moments",
    )

    # A device that logs a moment offline sends it once per key; a retry finds the same row.
    # The hash is a keyed HMAC of what was sent, so it tells a retry from a different moment
    # without keeping a guessable digest of the words.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited = models.BooleanField(default=False)
    # Deleting sets this first, so that "Undo" can bring the moment back for a little while.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        indexes = [
            models.Index(fields=["author", "occurred_at"], name="moment_author_occurred"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="moment_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.code for k in vocabulary.KINDS]),
                name="moment_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(intensity__isnull=True) | Q(intensity__gte=0, intensity__lte=10),
                name="moment_intensity_0_10",
            ),
            models.CheckConstraint(
                condition=Q(intensity_after__isnull=True)
                | Q(intensity_after__gte=0, intensity_after__lte=10),
                name="moment_intensity_after_0_10",
            ),
            models.CheckConstraint(
                condition=Q(minutes_to_settle__isnull=True)
                | Q(minutes_to_settle__gte=0, minutes_to_settle__lte=10080),
                name="moment_minutes_to_settle_week",
            ),
        ]

    def __str__(self) -> str:
        # Never the cue: a str() may end up in a log line or an admin page title.
        return f"{self.kind} {self.id}"

    @cached_property
    def person_ids(self) -> list[uuid.UUID]:
        """Ids of the people this moment names, in the order of the person's list.

        Uses ``prefetch_related("people")`` when it was done; services that set the people
        assign this directly, so that answering with the moment needs no query.
        """
        return [person.id for person in self.people.all()]

    @property
    def is_glimmer(self) -> bool:
        return self.kind == self.Kind.GLIMMER

    def state_terms(self) -> list[vocabulary.Term]:
        return [t for code in self.states if (t := vocabulary.term("states", code))]

    def body_labels(self) -> list[dict[str, object]]:
        return [
            {
                "region": vocabulary.label("regions", entry.get("region", "")),
                "sensations": [
                    vocabulary.label("sensations", code) for code in entry.get("sensations", [])
                ],
                "intensity": entry.get("intensity"),
            }
            for entry in self.body
        ]


class Theme(models.Model):
    """A pattern a person names ("phone at dinner", "partner's date nights") to file moments under.

    A moment belongs to zero or one theme (``Moment.theme``, a nullable foreign key) rather than
    to many: filing is "which pattern was this?", the insights group moments by theme id, and a
    single theme per moment keeps those counts additive (no moment counted twice) and makes the
    suggestion a simple "best match". Deleting a theme un-files its moments (SET NULL), it never
    deletes them. Archiving hides a theme from the picker but keeps it on the moments it names.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="themes"
    )
    # What the person called it is their own words, so it goes through the vault like a cue.
    name = EncryptedTextField(owner="owner")
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "archived"], name="theme_owner_archived")]

    def __str__(self) -> str:
        # Never the name: a str() may end up in a log line or an admin page title.
        return f"theme {self.id}"


class VocabularyEntry(models.Model):
    """A need or a context a person added in their own words, beside the shared vocabulary.

    Moments refer to it by ``code`` ("own-" and the hex id), just as they refer to shared terms.
    """

    class Kind(models.TextChoices):
        NEEDS = "needs", _("Need or fear")
        CONTEXTS = "contexts", _("Context")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vocabulary_entries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = EncryptedTextField(owner="owner")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "kind"], name="vocab_entry_owner_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["needs", "contexts"]), name="vocab_entry_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def code(self) -> str:
        return own_code(self.id)


def own_code(entry_id: uuid.UUID) -> str:
    return f"own-{entry_id.hex}"


# People and earlier versions live in modules of their own; importing them here registers them.
from tend.journal.people_models import MomentPerson, Person  # noqa: E402, F401
from tend.journal.version_models import MomentVersion  # noqa: E402, F401
