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

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save

from tend.accounts.models import User
from tend.insights.services import map_revision_bump, map_revision_drop
from tend.insights.tallies import months_near
from tend.journal.models import Moment, Theme, VocabularyEntry
from tend.journal.people_models import Person
from tend.practices.models import CustomPractice, PracticeSession

# Each model besides moments that feeds the map, with the attribute naming whose map it feeds.
# Moments have receivers of their own, below: their saves name the months they change.
OWNERS: dict[type[Any], str] = {
    Theme: "owner_id",
    Person: "owner_id",
    VocabularyEntry: "owner_id",
    PracticeSession: "author_id",
    CustomPractice: "author_id",
}


def _bump(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    map_revision_bump(owner_id=getattr(instance, OWNERS[sender]))


# Writes that change counts in months none of their own moments are saved in: a theme's delete
# un-files its moments, a person's unlinks theirs.
COUNTS_CHANGE_ON_DELETE = (Theme, Person)


def _bump_deleted(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    map_revision_bump(
        owner_id=getattr(instance, OWNERS[sender]), counts=sender in COUNTS_CHANGE_ON_DELETE
    )


# Where a moment keeps the time it was loaded with, until its save.
STORED = "_insights_stored_occurred_at"


def _moment_made(sender: type[Any], instance: Moment, **kwargs: Any) -> None:
    # When the moment was, as loaded: a save that moves it changes that month's counts too.
    instance.__dict__[STORED] = instance.__dict__.get("occurred_at")


def _moment_saving(sender: type[Any], instance: Moment, **kwargs: Any) -> None:
    if instance.__dict__.get(STORED) is None and not instance._state.adding:
        # Loaded without its time (``.only(...)``): read the stored time before it changes.
        instance.__dict__[STORED] = (
            Moment.objects.filter(pk=instance.pk).values_list("occurred_at", flat=True).first()
        )


def _moment_saved(sender: type[Any], instance: Moment, **kwargs: Any) -> None:
    months = months_near(instance.occurred_at)
    stored = instance.__dict__.get(STORED)
    if stored is not None:
        months |= months_near(stored)
    map_revision_bump(owner_id=instance.author_id, months=months)
    instance.__dict__[STORED] = instance.occurred_at


def _people_changed(sender: type[Any], instance: Any, action: str, **kwargs: Any) -> None:
    # ``moment.people.add(...)`` and ``person.moments.remove(...)``: either side names the owner.
    if action in ("post_add", "post_remove", "post_clear"):
        owner = instance.author_id if isinstance(instance, Moment) else instance.owner_id
        map_revision_bump(owner_id=owner, counts=True)


def _drop(sender: type[Any], instance: User, **kwargs: Any) -> None:
    map_revision_drop(owner_id=instance.pk)


for model in OWNERS:
    post_save.connect(_bump, sender=model, dispatch_uid=f"insights.bump.save.{model.__name__}")
    post_delete.connect(
        _bump_deleted, sender=model, dispatch_uid=f"insights.bump.delete.{model.__name__}"
    )
post_init.connect(_moment_made, sender=Moment, dispatch_uid="insights.moment.init")
pre_save.connect(_moment_saving, sender=Moment, dispatch_uid="insights.moment.saving")
post_save.connect(_moment_saved, sender=Moment, dispatch_uid="insights.moment.saved")
m2m_changed.connect(_people_changed, sender=Person.moments.through, dispatch_uid="insights.people")
post_delete.connect(_drop, sender=User, dispatch_uid="insights.drop")
