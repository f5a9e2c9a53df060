"""Writes of the insights app: marking someone's kept trigger maps and month counts stale."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable

from tend.insights.models import MapRevision, MonthRevision


def new_token() -> str:
    return secrets.token_hex(16)


def map_revision_bump(
    *, owner_id: uuid.UUID, months: Iterable[dt.date] = (), counts: bool = False
) -> None:
    """Give the owner's map a new revision, so that no map kept before this write is used again.

    ``months`` (first days) get new revisions too, so that their kept counts are not used again;
    ``counts`` renews the counts of every month (a write whose months are not known).

    Call it inside the transaction of the write: a map or count read while the write is
    uncommitted is kept under the old token, which no reader sees once the write commits.
    """
    token = new_token()
    if counts:
        MapRevision.objects.bulk_create(
            [MapRevision(owner_id=owner_id, token=token, counts_token=token)],
            update_conflicts=True,
            unique_fields=["owner_id"],
            update_fields=["token", "counts_token"],
        )
    else:
        MapRevision.objects.bulk_create(
            [MapRevision(owner_id=owner_id, token=token, counts_token=token)],
            update_conflicts=True,
            unique_fields=["owner_id"],
            update_fields=["token"],
        )
    if months:
        MonthRevision.objects.bulk_create(
            [MonthRevision(owner_id=owner_id, month=m, token=token) for m in sorted(set(months))],
            update_conflicts=True,
            unique_fields=["owner_id", "month"],
            update_fields=["token"],
        )


def map_revision_drop(*, owner_id: uuid.UUID) -> None:
    """Forget the revisions of a deleted account."""
    MapRevision.objects.filter(owner_id=owner_id).delete()
    MonthRevision.objects.filter(owner_id=owner_id).delete()
