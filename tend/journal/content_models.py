"""The columns a moment and each of its earlier versions share, defined once.

Apart from ``models.py``, which imports ``version_models`` at its end so that Django finds it:
``version_models`` builds on this without importing ``models`` back.
"""

from __future__ import annotations

from django.db import models

from tend.core.fields import EncryptedTextField


class MomentContent(models.Model):
    """What a moment says, shared by the moment and its earlier versions (``version_models``).

    The names are ``moment_fields.TEXT_FIELDS`` and ``STRUCTURED_FIELDS`` (but ``kind`` and
    ``occurred_at``, whose defaults and choices only the moment has).
    """

    # What the person wrote, encrypted with their own data key (tend/core/fields.py).
    cue = EncryptedTextField(owner="author", blank=True)
    story = EncryptedTextField(owner="author", blank=True)
    part = EncryptedTextField(owner="author", blank=True)
    urge = EncryptedTextField(owner="author", blank=True)
    action = EncryptedTextField(owner="author", blank=True)
    helped = EncryptedTextField(owner="author", blank=True)
    notes = EncryptedTextField(owner="author", blank=True)

    states = models.JSONField(default=list, blank=True)
    intensity = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(default=list, blank=True)
    needs = models.JSONField(default=list, blank=True)
    contexts = models.JSONField(default=list, blank=True)
    intensity_after = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_to_settle = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True
