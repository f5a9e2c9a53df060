"""Writes of the insights app: marking someone's kept trigger maps stale."""

from __future__ import annotations

import secrets
import uuid

from tend.insights.models import MapRevision


def new_token() -> str:
    return secrets.token_hex(16)


def map_revision_bump(*, owner_id: uuid.UUID) -> None:
    """Give the owner's map a new revision, so that no map kept before this write is used again.

    Call it inside the transaction of the write: a map read while the write is uncommitted is
    kept under the old token, which no reader sees once the write commits.
    """
    MapRevision.objects.bulk_create(
        [MapRevision(owner_id=owner_id, token=new_token())],
        update_conflicts=True,
        unique_fields=["owner_id"],
        update_fields=["token"],
    )


def map_revision_drop(*, owner_id: uuid.UUID) -> None:
    """Forget the revision of a deleted account."""
    MapRevision.objects.filter(owner_id=owner_id).delete()
