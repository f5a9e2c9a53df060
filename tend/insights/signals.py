"""Every save that can change what a trigger map shows gives its owner's map a new revision.

Receivers, rather than a call in each service, because the rows that feed the map are written by
many services in four apps (the journal, its people and themes, practices, import); a receiver
cannot be forgotten by the next one. They run inside the writer's transaction, which is what
keeps a map computed from old rows from being used after the write commits (``kept.py``).

Not received, because they cannot change a map: a moment's hard delete (only moments already set
aside, which the map leaves out, are erased; an account's moments go with the account) and
``MomentPerson`` rows written in bulk (always with a save of their moment; changes through the
relation, ``moment.people.add()``, are received). Leaving ``Moment`` without a
delete receiver also lets the purge delete in one statement instead of loading every row.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from tend.accounts.models import User
from tend.insights.services import map_revision_bump, map_revision_drop
from tend.journal.models import Moment, Theme, VocabularyEntry
from tend.journal.people_models import Person
from tend.practices.models import CustomPractice, PracticeSession

# Each model that feeds the map, with the attribute naming whose map it feeds.
OWNERS: dict[type[Any], str] = {
    Moment: "author_id",
    Theme: "owner_id",
    Person: "owner_id",
    VocabularyEntry: "owner_id",
    PracticeSession: "author_id",
    CustomPractice: "author_id",
}


def _bump(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    map_revision_bump(owner_id=getattr(instance, OWNERS[sender]))


def _people_changed(sender: type[Any], instance: Any, action: str, **kwargs: Any) -> None:
    # ``moment.people.add(...)`` and ``person.moments.remove(...)``: either side names the owner.
    if action in ("post_add", "post_remove", "post_clear"):
        owner = instance.author_id if isinstance(instance, Moment) else instance.owner_id
        map_revision_bump(owner_id=owner)


def _drop(sender: type[Any], instance: User, **kwargs: Any) -> None:
    map_revision_drop(owner_id=instance.pk)


for model in OWNERS:
    post_save.connect(_bump, sender=model, dispatch_uid=f"insights.bump.save.{model.__name__}")
    if model is not Moment:
        post_delete.connect(
            _bump, sender=model, dispatch_uid=f"insights.bump.delete.{model.__name__}"
        )
m2m_changed.connect(_people_changed, sender=Person.moments.through, dispatch_uid="insights.people")
post_delete.connect(_drop, sender=User, dispatch_uid="insights.drop")
