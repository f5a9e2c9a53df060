"""What the insights keep: revisions that say when a kept map or a month's counts are stale.

Every write that can change what someone's trigger map shows replaces a token inside the same
transaction (``services.map_revision_bump``): a moment's write the ``MonthRevision`` of the
months it is and was in; any other write (a theme, a person, an own word, a practice session or
practice) the owner's ``MapRevision.token``, and a write that changes the counts of months none
of its moments is saved in (a theme or person deleted, people unlinked) also
``MapRevision.counts_token``. A map kept in the cache is keyed by the tokens it was computed
under (``kept.py``), the counts kept per month by their month's and ``counts_token``
(``tallies.py``); so either is found again only while nothing in it has changed. A token not
made yet reads as "-": the first write that makes it changes it.
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
    """The revision of one calendar month of someone's moments (see ``tallies.months_near``)."""

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
