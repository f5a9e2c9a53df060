"""Edit history: each edit keeps the moment as it was, so a person can see what they first wrote.

``moment_version_keep`` is called by ``moment_update`` inside its transaction, before the new
values are saved. The earlier text is encrypted again as the version row's own columns (the
vault binds ciphertext to table, column and row), with the same author's data key, so shredding
that key forgets the history too.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Max, QuerySet
from django.http import Http404

from tend.journal.moment_fields import STRUCTURED_FIELDS, TEXT_FIELDS
from tend.journal.people_models import MomentPerson
from tend.journal.version_models import MomentVersion

if TYPE_CHECKING:
    from tend.journal.models import Moment


def moment_version_keep(*, moment: Moment) -> MomentVersion:
    """Store ``moment`` as it is in the database now, as its next earlier version.

    Reads the stored row, not the instance, so that values already changed on the instance
    (but not yet saved) are not mistaken for the earlier ones.
    """
    from tend.journal.models import Moment

    stored = Moment.objects.select_related("author__data_key").get(pk=moment.pk)
    last = MomentVersion.objects.filter(moment=stored).aggregate(n=Max("number"))["n"] or 0
    people = [
        str(pid)
        for pid in MomentPerson.objects.filter(moment=stored)
        .order_by("id")
        .values_list("person_id", flat=True)
    ]
    fields = {name: getattr(stored, name) for name in (*TEXT_FIELDS, *STRUCTURED_FIELDS)}
    return MomentVersion.objects.create(
        moment=stored,
        author_id=stored.author_id,
        number=last + 1,
        people=people,
        theme_id=getattr(stored, "theme_id", None),
        **fields,
    )


def versions_of(*, moment: Moment) -> QuerySet[MomentVersion]:
    """Earlier versions of a moment the caller already may see (through ``moment_for``)."""
    return (
        MomentVersion.objects.filter(moment=moment, author_id=moment.author_id)
        .select_related("author__data_key")
        .order_by("-number")
    )


def version_for(*, moment: Moment, id: uuid.UUID | str) -> MomentVersion:
    try:
        version_id = uuid.UUID(str(id))
    except ValueError:
        raise Http404 from None
    version = versions_of(moment=moment).filter(id=version_id).first()
    if version is None:
        raise Http404
    return version


def version_as_moment(version: MomentVersion) -> Moment:
    """An unsaved Moment holding the version's values, to show it the way moments are shown."""
    from tend.journal.models import Moment

    fields = {name: getattr(version, name) for name in (*TEXT_FIELDS, *STRUCTURED_FIELDS)}
    return Moment(id=version.moment_id, author_id=version.author_id, **fields)
