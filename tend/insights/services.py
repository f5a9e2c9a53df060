"""Writes of the insights app: marking someone's kept trigger maps and month counts stale."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection

from tend.core.prepared import preparing_cursor
from tend.insights.models import MapRevision, MonthRevision


def new_token() -> str:
    return secrets.token_hex(16)


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


def map_revision_drop(*, owner_id: uuid.UUID) -> None:
    """Forget the revisions of a deleted account."""
    MapRevision.objects.filter(owner_id=owner_id).delete()
    MonthRevision.objects.filter(owner_id=owner_id).delete()


def _month_tokens_set(owner_id: uuid.UUID, months: list[dt.date], token: str) -> None:
    # One upsert written out: it runs in every moment's save, and bulk_create's own work was
    # most of its cost there. The same statement on SQLite and PostgreSQL.
    table = MonthRevision._meta.db_table
    owner = MonthRevision._meta.get_field("owner_id").get_db_prep_value(owner_id, connection)
    month = MonthRevision._meta.get_field("month")
    rows = ", ".join(["(%s, %s, %s)"] * len(months))
    params: list[Any] = []
    for m in months:
        params += [owner, month.get_db_prep_value(m, connection), token]
    # Prepared on PostgreSQL: a capture names one to three months, so a connection keeps a
    # statement for each count and the database no longer parses and plans it every time.
    with preparing_cursor(connection) as cursor:
        cursor.execute(
            f"INSERT INTO {table} (owner_id, month, token) VALUES {rows} "  # noqa: S608
            "ON CONFLICT (owner_id, month) DO UPDATE SET token = excluded.token",
            params,
        )
