"""What the insights keep: the revision of each person's map, which says when a kept map is stale.

Every write that can change what someone's trigger map shows (a moment, a theme, a person, an own
word, a practice session or practice) replaces the owner's ``MapRevision.token`` inside the same
transaction (``services.map_revision_bump``). A map kept in the cache is keyed by the token it
was computed under, so it is found again only while nothing has changed (``kept.py``).
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

    def __str__(self) -> str:
        return f"map revision {self.owner_id}"
