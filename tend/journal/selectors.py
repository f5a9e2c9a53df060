"""Reads of the journal. Every view and endpoint reads moments through here, and only here.

For now a person sees only their own moments; shares arrive with the connections app and will
widen ``moments_of`` in this one place.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from tend.journal.models import Moment, VocabularyEntry, own_code
from tend.journal.people_models import Person

if TYPE_CHECKING:
    from tend.accounts.models import User


def moments_of(*, viewer: User) -> QuerySet[Moment]:
    """The moments ``viewer`` may see, newest first (deleted ones are gone from view)."""
    if not viewer.is_authenticated:
        return Moment.objects.none()
    return (
        Moment.objects.filter(author=viewer, deleted_at__isnull=True)
        # One query for the author's data key instead of one per moment decrypted; the theme
        # comes along for the cards, its name decrypted with the same owner's key.
        .select_related("author__data_key", "theme__owner__data_key")
        # The people each moment names, labels decrypted with one key fetch (for cards, API).
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.select_related("owner__data_key"))
        )
        .order_by("-occurred_at", "-created_at", "-id")
    )


def moment_for(*, viewer: User, id: uuid.UUID | str, deleted: bool = False) -> Moment:
    """One moment ``viewer`` may see, or Http404: "not yours" and "no such moment" look alike.

    ``deleted=True`` finds a moment that was just deleted, for "Undo", and only that.
    """
    if not viewer.is_authenticated:
        raise Http404
    try:
        moment_id = uuid.UUID(str(id))
    except ValueError:
        raise Http404 from None
    moment = Moment.objects.filter(
        author=viewer, id=moment_id, deleted_at__isnull=not deleted
    ).first()
    if moment is None:
        raise Http404
    return moment


def own_vocabulary(*, owner: User, kind: str | None = None) -> QuerySet[VocabularyEntry]:
    """The needs and contexts ``owner`` added in their own words (never anybody else's)."""
    entries = VocabularyEntry.objects.filter(owner=owner).select_related("owner__data_key")
    return entries.filter(kind=kind) if kind else entries


def own_codes(*, owner: User) -> dict[str, frozenset[str]]:
    codes: dict[str, set[str]] = {"needs": set(), "contexts": set()}
    for kind, entry_id in VocabularyEntry.objects.filter(owner=owner).values_list("kind", "id"):
        codes[kind].add(own_code(entry_id))
    return {kind: frozenset(values) for kind, values in codes.items()}


def own_labels(*, owner: User) -> dict[str, str]:
    """Code to label for the owner's own entries; labels are decrypted here, for the owner."""
    return {entry.code: entry.label for entry in own_vocabulary(owner=owner)}
