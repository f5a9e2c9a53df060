"""Revisions: how a kept trigger map, or a month's kept counts, knows it has gone stale.

A trigger map is counted from the owner's moments, themes, people, own words, practice sessions
and own practices. Two things are kept in the ``insights`` cache so that it is not counted again
and again: whole maps (``kept.py``, sealed) and each whole month's counts (``tallies.py``). Both
are found by the revisions they were computed under, and every write that can change a map
replaces a revision, inside the transaction of the write:

- **A moment's write** (log, edit, set aside, bring back, file under a theme, import) replaces
  the ``MonthRevision`` of each month it is in and was in: the calendar months within 14 hours of
  its time either way (``months_near``), so that its local month is among them whatever the
  owner's time zone is or becomes. The journal's services call ``moment_revisions_bump``
  themselves, as each knows the time a moment had before and after its write; a Moment has no
  receiver, so loading one costs nothing here.
- **Any other write that feeds the map** (a theme's, person's, own word's, practice session's or
  own practice's save or delete, and changes to who a moment names) replaces the owner's
  ``MapRevision.token``, through the receivers at the end of this module: those rows are written
  by services in four apps (the journal, its people and themes, practices, import), and a
  receiver cannot be forgotten by the next one. A write that changes the counts of months none of
  its moments is saved in (a theme or person deleted, people linked or unlinked) also replaces
  ``MapRevision.counts_token``, which every month's kept counts are keyed by.
- **An account's deletion** drops its revisions.

A kept map is keyed by its owner's map token and the month tokens of every month its period
touches; a month's kept counts by that month's token and the owner's counts token. So either is
found again only while nothing in it has changed, and a write outside a kept map's period keeps
it. Inside the transaction, because a map counted while a write is uncommitted is then kept
under the old tokens, which nobody asks for once the write commits. Random tokens, not counters,
so that a database restored from a backup never brings back a token that once named other data.
A token no write has made yet reads as "-": the first write makes one, so readers write nothing.

Not received, because they cannot change a map: a moment's hard delete (only moments already set
aside, which the map leaves out, are erased, by the purge in one statement; an account's moments
go with the account) and ``MomentPerson`` rows written in bulk (always in a service that bumps
the moment's months; changes through the relation, ``moment.people.add()``, are received).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

from tend.accounts.models import User
from tend.core.prepared import Statement, preparing_cursor
from tend.insights.models import MapRevision, MonthRevision
from tend.journal.models import Moment, Theme, VocabularyEntry
from tend.journal.people_models import Person
from tend.practices.models import CustomPractice, PracticeSession

UTC = dt.UTC
# Local time is UTC minus 12 hours to UTC plus 14 hours; a moment's local month is the month of
# some instant within this reach of it, whatever the owner's time zone is or becomes.
REACH = dt.timedelta(hours=14)


def new_token() -> str:
    return secrets.token_hex(16)


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def months_near(at: dt.datetime) -> set[dt.date]:
    """The months (first days) ``at`` falls in, in any time zone."""
    utc = at.astimezone(UTC)
    return {first_of((utc - REACH).date()), first_of((utc + REACH).date())}


def months_between(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    """The months (first days) that any local time of ``[start, end)`` can fall in."""
    first = first_of((start.astimezone(UTC) - REACH).date())
    last = first_of((end.astimezone(UTC) + REACH).date())
    months = [first]
    while months[-1] < last:
        months.append(next_month(months[-1]))
    return months


# Writes.


def map_revision_bump(
    *, owner_id: uuid.UUID, months: Iterable[dt.date] = (), counts: bool = False
) -> None:
    """Give the owner's map a new revision, so that no map or count kept before is used again.

    A moment's write names its ``months`` (first days): those months get new revisions, which
    both their kept counts and every kept map of a period touching them are keyed by. Other
    writes give the whole map a new revision; ``counts`` also renews the counts of every month
    (a write whose months are not known).

    Call it inside the transaction of the write: a map or count read while the write is
    uncommitted is kept under the old token, which no reader sees once the write commits.
    """
    token = new_token()
    if months:
        _month_tokens_set(owner_id, sorted(set(months)), token)
    if counts or not months:
        MapRevision.objects.bulk_create(
            [MapRevision(owner_id=owner_id, token=token, counts_token=token)],
            update_conflicts=True,
            unique_fields=["owner_id"],
            update_fields=["token", "counts_token"] if counts else ["token"],
        )


def moment_revisions_bump(*, moment: Moment, was: dt.datetime | None = None) -> None:
    """Mark stale the months a moment's write touched: those of its time and, when the write
    moved it, of the time it ``was`` at before.

    The journal's services call it inside their transaction, after the moment's row is written.
    """
    months = months_near(moment.occurred_at)
    if was is not None:
        months |= months_near(was)
    map_revision_bump(owner_id=moment.author_id, months=months)


def new_moment_revisions_statement(*, moment: Moment) -> Statement:
    """What ``moment_revisions_bump`` writes for a new moment, to run with its INSERT
    (``run_together``): new revisions for the months near its time."""
    return _month_tokens_statement(
        moment.author_id, sorted(months_near(moment.occurred_at)), new_token()
    )


def map_revision_drop(*, owner_id: uuid.UUID) -> None:
    """Forget the revisions of a deleted account."""
    MapRevision.objects.filter(owner_id=owner_id).delete()
    MonthRevision.objects.filter(owner_id=owner_id).delete()


def _month_tokens_set(owner_id: uuid.UUID, months: list[dt.date], token: str) -> None:
    statement = _month_tokens_statement(owner_id, months, token)
    # Prepared on PostgreSQL: a capture names one to three months, so a connection keeps a
    # statement for each count and the database no longer parses and plans it every time.
    with preparing_cursor(connection) as cursor:
        cursor.execute(statement.sql, statement.params)


def _month_tokens_statement(owner_id: uuid.UUID, months: list[dt.date], token: str) -> Statement:
    # One upsert written out: it runs in every moment's write, and bulk_create's own work was
    # most of its cost there. The same statement on SQLite and PostgreSQL.
    table = MonthRevision._meta.db_table
    owner = MonthRevision._meta.get_field("owner_id").get_db_prep_value(owner_id, connection)
    month = MonthRevision._meta.get_field("month")
    rows = ", ".join(["(%s, %s, %s)"] * len(months))
    params: list[Any] = []
    for m in months:
        params += [owner, month.get_db_prep_value(m, connection), token]
    return Statement(
        f"INSERT INTO {table} (owner_id, month, token) VALUES {rows} "  # noqa: S608
        "ON CONFLICT (owner_id, month) DO UPDATE SET token = excluded.token",
        params,
    )


# Reads.


def month_tokens(owner_id: uuid.UUID, months: list[dt.date]) -> dict[dt.date, str]:
    """The revisions of ``months``; "-" for a month no write has touched yet.

    Nothing is made here: the first write in a month makes its token, which differs from "-".
    """
    tokens = dict(
        MonthRevision.objects.filter(owner_id=owner_id, month__in=months).values_list(
            "month", "token"
        )
    )
    return {m: tokens.get(m, "-") for m in months}


def counts_revisions(owner_id: uuid.UUID, months: list[dt.date]) -> tuple[str, dict[dt.date, str]]:
    """The owner's counts token ("-" if none yet) and the tokens of ``months``."""
    counts = (
        MapRevision.objects.filter(owner_id=owner_id).values_list("counts_token", flat=True).first()
    )
    return counts or "-", month_tokens(owner_id, months)


def revisions_digest(tokens: dict[dt.date, str], *more: str) -> str:
    """Months' revisions (and ``more`` tokens) as one short text for a cache key.

    Hashed: a year's worth would make a key too long for some caches.
    """
    revisions = ",".join([*more, *(f"{m:%Y-%m}={t}" for m, t in sorted(tokens.items()))])
    return hashlib.sha256(revisions.encode()).hexdigest()[:32]


# Receivers, for the writes besides a moment's (see the module's doc).


# Each model besides moments that feeds the map, with the attribute naming whose map it feeds.
OWNERS: dict[type[Any], str] = {
    Theme: "owner_id",
    Person: "owner_id",
    VocabularyEntry: "owner_id",
    PracticeSession: "author_id",
    CustomPractice: "author_id",
}
# Writes that change counts in months none of their own moments are saved in: a theme's delete
# un-files its moments, a person's unlinks theirs.
COUNTS_CHANGE_ON_DELETE = (Theme, Person)


def _bump(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    map_revision_bump(owner_id=getattr(instance, OWNERS[sender]))


def _bump_deleted(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    map_revision_bump(
        owner_id=getattr(instance, OWNERS[sender]), counts=sender in COUNTS_CHANGE_ON_DELETE
    )


def _people_changed(sender: type[Any], instance: Any, action: str, **kwargs: Any) -> None:
    # ``moment.people.add(...)`` and ``person.moments.remove(...)``: either side names the owner.
    if action in ("post_add", "post_remove", "post_clear"):
        owner = instance.author_id if isinstance(instance, Moment) else instance.owner_id
        map_revision_bump(owner_id=owner, counts=True)


def _drop(sender: type[Any], instance: User, **kwargs: Any) -> None:
    map_revision_drop(owner_id=instance.pk)


def connect_receivers() -> None:
    """Connect the receivers; called once, from ``InsightsConfig.ready``."""
    for model in OWNERS:
        post_save.connect(_bump, sender=model, dispatch_uid=f"insights.bump.save.{model.__name__}")
        post_delete.connect(
            _bump_deleted, sender=model, dispatch_uid=f"insights.bump.delete.{model.__name__}"
        )
    m2m_changed.connect(
        _people_changed, sender=Person.moments.through, dispatch_uid="insights.people"
    )
    post_delete.connect(_drop, sender=User, dispatch_uid="insights.drop")
