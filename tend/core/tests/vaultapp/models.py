from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tend.core.fields import EncryptedTextField


class Note(models.Model):
    """Stands in for the real models (moments, care plans) that will use encrypted fields."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, default="activation")
    cue = EncryptedTextField(owner="author", blank=True)
    story = EncryptedTextField(owner="author", blank=True)

    def __str__(self) -> str:
        return f"note {self.pk}"
