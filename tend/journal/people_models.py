"""People in a person's life as private labels ("Sam", "R."), and the moments that name them.

A label is the person's own words and goes through the vault. Moments refer to people through a
plain through table (``MomentPerson``) with an index each way, so that the insights can count
"moments with Sam" in SQL without decrypting anything: the ids are structure, the label is text.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tend.core.fields import EncryptedTextField


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people"
    )
    label = EncryptedTextField(owner="owner")
    created_at = models.DateTimeField(auto_now_add=True)
    # ``moment.people`` is the other side: the moments that name this person.
    moments = models.ManyToManyField(
        "journal.Moment", through="journal.MomentPerson", related_name="people", blank=True
    )

    class Meta:
        app_label = "journal"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="person_owner_created")]

    def __str__(self) -> str:
        # Never the label: a str() may end up in a log line or an admin page title.
        return f"person {self.id}"


class MomentPerson(models.Model):
    """One moment naming one person. Both belong to the same author (checked by the service)."""

    moment = models.ForeignKey("journal.Moment", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)

    class Meta:
        app_label = "journal"
        constraints = [
            models.UniqueConstraint(fields=["moment", "person"], name="moment_person_unique"),
        ]
        indexes = [models.Index(fields=["person", "moment"], name="moment_person_by_person")]

    def __str__(self) -> str:
        return f"moment {self.moment_id} names person {self.person_id}"
