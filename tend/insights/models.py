"""What the insights keep: the revisions that say when a kept map or a month's counts are stale.

What they mean and which writes replace them: ``revisions.py``.
"""

from __future__ import annotations

from django.db import models


class MapRevision(models.Model):
    # Not a foreign key, on purpose: deleting an account deletes its themes and people, whose
    # receivers bump this row, and a row inserted for an account being deleted would break the
    # foreign key at commit. The account's own post_delete receiver removes it instead.
    owner_id = models.UUIDField(primary_key=True)
    # Random, not a counter: a database restored from a backup brings back old tokens, and a
    # token must never name two different states of someone's data.
    token = models.CharField(max_length=32)
    # Replaced only by writes that change the counts of months no moment of theirs is in.
    counts_token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"map revision {self.owner_id}"


class MonthRevision(models.Model):
    """The revision of one calendar month of someone's moments (see ``revisions.months_near``)."""

    id = models.BigAutoField(primary_key=True)
    owner_id = models.UUIDField()  # not a foreign key: see MapRevision
    month = models.DateField()  # the month's first day
    token = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_id", "month"], name="month_revision_unique")
        ]

    def __str__(self) -> str:
        return f"month revision {self.owner_id} {self.month:%Y-%m}"
