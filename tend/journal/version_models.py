"""Earlier versions of a moment, kept when it is edited.

A version row holds the moment as it was before an edit. Its text goes through the vault again,
as the version's own columns: the vault binds each ciphertext to its table, column and row, so
copying the moment's ciphertext here would (rightly) fail to decrypt.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tend.journal.content_models import MomentContent


class MomentVersion(MomentContent):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    moment = models.ForeignKey("journal.Moment", on_delete=models.CASCADE, related_name="versions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moment_versions"
    )
    # 1 for the moment as first logged, 2 for it after the first edit, and so on.
    number = models.PositiveIntegerField()
    # When this version was replaced by the next one.
    saved_at = models.DateTimeField(auto_now_add=True)

    kind = models.CharField(max_length=16)
    occurred_at = models.DateTimeField()
    # The moment's words and structured fields as they were: ``MomentContent``.
    # Ids, not foreign keys: a person or theme deleted later must not rewrite the past.
    people = models.JSONField(default=list, blank=True)
    theme_id = models.UUIDField(null=True, blank=True)

    class Meta:
        app_label = "journal"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["moment", "number"], name="moment_version_unique"),
        ]

    def __str__(self) -> str:
        return f"version {self.number} of moment {self.moment_id}"
