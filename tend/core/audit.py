"""The audit log: ``record()`` writes an event; ``events_for_subject()`` reads a person's own."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from django.db import models

from tend.core.models import AuditEvent
from tend.core.prepared import PreparedInsert, Statement

if TYPE_CHECKING:
    from tend.accounts.models import User

# Meta values are ids, codes and counts. A free-text value is refused outright, so that nobody's
# words can slip into the audit log by accident.
_SAFE_TEXT = re.compile(r"^[\w.:/@+-]{0,100}$")


# Nearly every write records an event: its INSERT is compiled once (nothing listens to the
# model's signals).
_insert_event = PreparedInsert(AuditEvent)


class AuditMetaError(ValueError):
    pass


def _safe(value: Any) -> bool:
    return (
        value is None
        or isinstance(value, bool | int | float)
        or (isinstance(value, str) and _SAFE_TEXT.match(value) is not None)
    )


def _clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Ids, codes and numbers, alone or as a list of them (the fields an edit changed, say)."""
    clean: dict[str, Any] = {}
    for key, value in meta.items():
        if isinstance(value, list | tuple):
            value = [str(v) if isinstance(v, uuid.UUID) else v for v in value]
            ok = len(value) <= 100 and all(_safe(v) for v in value)
        else:
            value = str(value) if isinstance(value, uuid.UUID) else value
            ok = _safe(value)
        if not ok:
            raise AuditMetaError(f"audit meta {key!r} must be an id, a code or a number")
        clean[key] = value
    return clean


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    subject: User | None = None,
    meta: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target``, concerning ``subject``'s data.

    ``subject`` defaults to the actor: most events are a person acting on their own account.
    """
    event = _event(actor=actor, action=action, target=target, subject=subject, meta=meta)
    return _insert_event.insert(event)


def record_statement(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    subject: User | None = None,
    meta: dict[str, Any] | None = None,
) -> Statement:
    """The INSERT ``record`` would run, to run with the write it records (``run_together``)."""
    event = _event(actor=actor, action=action, target=target, subject=subject, meta=meta)
    return _insert_event.statement(event)


def _event(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None,
    subject: User | None,
    meta: dict[str, Any] | None,
) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        subject=subject if subject is not None else actor,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        meta=_clean_meta(meta or {}),
    )


def events_for_subject(*, subject: User) -> models.QuerySet[AuditEvent]:
    """The events about a person's own account and data, newest first."""
    return AuditEvent.objects.filter(subject=subject).select_related("actor").order_by("-at")
