"""Writes to the journal: log, update, delete (softly, for undo) and restore a moment."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tend.core import vault
from tend.core.audit import record, record_statement
from tend.core.prepared import PreparedInsert, run_together
from tend.insights.revisions import moment_revisions_bump, new_moment_revisions_statement
from tend.journal.history import moment_version_keep
from tend.journal.models import Moment, Theme, VocabularyEntry
from tend.journal.people import clean_moment_fields, moment_people_set, person_ids_of
from tend.journal.selectors import own_vocabulary
from tend.journal.themes import theme_to_file_under
from tend.journal.validation import check_required, clean_label

if TYPE_CHECKING:
    from tend.accounts.models import User

MAX_OWN_ENTRIES = 100
# How long "Undo" can bring a deleted moment back. Afterwards it is gone for good (purged).
UNDO_WINDOW = dt.timedelta(minutes=10)
MAX_IDEMPOTENCY_KEY = 100


class IdempotencyConflict(Exception):
    """The idempotency key was used before, for a different moment."""


class RestoreExpired(Exception):
    """The moment was deleted too long ago to undo."""


# Every capture writes one: its INSERT (thirty columns) is compiled once per process rather than
# on every save, which was the largest single cost of a capture. Without signals: nothing
# listens to a moment's save (the services below bump the map's revisions themselves), and a
# capture's INSERT runs together with its revision and audit rows (``run_together``).
_insert_moment = PreparedInsert(Moment)


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))


def _request_hash(*, author: User, fields: dict[str, Any]) -> str:
    # Keyed by the author's data key, not SECRET_KEY: the key travels with the data (its wrapped
    # copy is in the database and in every backup, opened by the KEK the operator carries), so a
    # retry still matches after a restore into a fresh data directory or on another app server.
    key = vault.derived_key(author, purpose="journal.moment_log.request_hash")
    return hmac.new(key, _canonical(fields).encode(), hashlib.sha256).hexdigest()


def _legacy_request_hashes(*, author: User, fields: dict[str, Any]) -> set[str]:
    """Hashes stored before they were keyed by the data key: keyed by SECRET_KEY (or a fallback)."""
    canonical = _canonical(fields)
    salt = f"tend.journal.moment_log:{author.pk}"
    return {
        salted_hmac(salt, canonical, secret=secret, algorithm="sha256").hexdigest()
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    }


def _check_key(key: str) -> None:
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ValidationError(
            {"idempotency_key": [_("Use a key of 1 to 100 printable characters, such as a UUID.")]}
        )


def moment_log(
    *, author: User, idempotency_key: str | None = None, **fields: Any
) -> tuple[Moment, bool]:
    """Log a moment; returns it and whether it was created now (False for a retried key).

    Everything is validated before anything is stored. The same key with the same fields finds
    the moment logged the first time; the same key with different fields is a conflict.
    """
    if idempotency_key is not None:
        _check_key(idempotency_key)
    try:
        cleaned = _clean_for_log(author=author, fields=fields)
    except ValidationError:
        # A retry must answer with what the first request made, even when what it names has
        # changed since: a theme archived after the moment was filed under it takes no *new*
        # moments, but the retried one is not new. Only a refusal pays for this look-up; the
        # common case (a fresh key, valid fields) stays without one.
        existing = _logged_under(author=author, key=idempotency_key)
        if existing is None:
            raise
        cleaned = _clean_for_log(author=author, fields=fields, retry_of=existing)
        return _replay(
            existing, _request_hash(author=author, fields=cleaned), author=author, fields=cleaned
        ), False
    request_hash = ""
    hashed = dict(cleaned)
    if idempotency_key is not None:
        request_hash = _request_hash(author=author, fields=hashed)
    people = cleaned.pop("people", [])
    # No look-up first: a fresh key is the common case, and the unique (author, key)
    # constraint answers a retry below, in the same way as two copies of a request racing.
    moment = Moment(
        author=author, idempotency_key=idempotency_key, request_hash=request_hash, **cleaned
    )
    try:
        if people:
            with transaction.atomic():
                _insert_moment.insert(moment)
                moment_people_set(moment=moment, people=people)
                moment_revisions_bump(moment=moment)
                record(**_log_event(moment))
        else:
            # The common capture: its row, its months' new revisions and its audit event in one
            # unit, which on PostgreSQL is one statement (one round trip, no BEGIN or COMMIT).
            run_together(
                [
                    _insert_moment.statement(moment),
                    new_moment_revisions_statement(moment=moment),
                    record_statement(**_log_event(moment)),
                ]
            )
            _insert_moment.saved(moment)
            # A new moment names nobody yet: answering with that needs no query.
            moment.person_ids = []
    except IntegrityError:
        # The key was used before (a retry), or two copies of one request raced and the other
        # won. Either way, answer with the moment stored under the key.
        if idempotency_key is None:
            raise
        existing = Moment.objects.get(author=author, idempotency_key=idempotency_key)
        return _replay(existing, request_hash, author=author, fields=hashed), False
    return moment, True


def _log_event(moment: Moment) -> dict[str, Any]:
    return {
        "actor": moment.author,
        "action": "journal.moment.log",
        "target": moment,
        "meta": {"kind": moment.kind},
    }


def _clean_for_log(
    *, author: User, fields: dict[str, Any], retry_of: Moment | None = None
) -> dict[str, Any]:
    """The fields of a new moment, cleaned; for a retry, checked as they were the first time."""
    fields = dict(fields)
    value = fields.pop("theme", None)
    # Filed at once under one of the author's own themes, when one is given (the API does).
    try:
        theme: Theme | None = theme_to_file_under(
            owner=author,
            value=value,
            current=retry_of.theme_id if retry_of is not None else None,
        )
    except ValidationError:
        if retry_of is None:
            raise
        # A theme deleted since the first request: the retry names it by the id it sent, and
        # only the hash (which holds that id) can tell whether this is that request.
        theme = _theme_by_id_alone(value)
        if theme is None:
            raise
    cleaned = clean_moment_fields(fields, owner=author)
    if theme is not None:
        # Part of the request hash too: the same key with another theme is a conflict.
        cleaned["theme"] = theme
    return cleaned


def _theme_by_id_alone(value: Any) -> Theme | None:
    """An unsaved stand-in with just the id, for comparing a retry's hash; never stored."""
    try:
        return Theme(id=uuid.UUID(str(value)))
    except ValueError:
        return None


def _logged_under(*, author: User, key: str | None) -> Moment | None:
    if key is None:
        return None
    return Moment.objects.filter(author=author, idempotency_key=key).first()


def _replay(existing: Moment, request_hash: str, *, author: User, fields: dict[str, Any]) -> Moment:
    if existing.request_hash == request_hash:
        return existing
    if existing.request_hash in _legacy_request_hashes(author=author, fields=fields):
        # Move the old hash to the new key, so that this retry is the last one that needs
        # SECRET_KEY to be the one in use when the moment was logged.
        Moment.objects.filter(pk=existing.pk, request_hash=existing.request_hash).update(
            request_hash=request_hash
        )
        return existing
    raise IdempotencyConflict


def _check_author(*, actor: User, moment: Moment) -> None:
    # Selectors already keep other people's moments out of reach; this is the second lock.
    if moment.author_id != actor.pk:
        raise PermissionDenied


def moment_update(*, actor: User, moment: Moment, **fields: Any) -> Moment:
    """Change the given fields (the rest stay as they were) and mark the moment as edited."""
    _check_author(actor=actor, moment=moment)
    cleaned = clean_moment_fields(fields, owner=actor, partial=True)
    people = cleaned.pop("people", None)
    merged = {name: getattr(moment, name) for name in ("cue", "states")} | cleaned
    errors: dict[str, list[str]] = {}
    check_required(merged, errors)
    if errors:
        raise ValidationError(errors)
    changed = sorted(name for name, value in cleaned.items() if getattr(moment, name) != value)
    people_changed = people is not None and set(people) != set(person_ids_of(moment))
    if not changed and not people_changed:
        return moment
    with transaction.atomic():
        # The moment as it was is kept first, as its next earlier version.
        moment_version_keep(moment=moment)
        was = moment.occurred_at
        for name in changed:
            setattr(moment, name, cleaned[name])
        moment.edited = True
        moment.save(update_fields=[*changed, "edited", "updated_at"])
        if people is not None and people_changed:
            moment_people_set(moment=moment, people=people)
        moment_revisions_bump(moment=moment, was=was)
        record(
            actor=actor,
            action="journal.moment.update",
            target=moment,
            meta={"fields": [*changed, *(["people"] if people_changed else [])]},
        )
    return moment


def moment_delete(*, actor: User, moment: Moment) -> Moment:
    """Set a moment aside; it disappears at once and can be restored within ``UNDO_WINDOW``."""
    _check_author(actor=actor, moment=moment)
    if moment.deleted_at is not None:
        return moment
    moment.deleted_at = timezone.now()
    with transaction.atomic():
        moment.save(update_fields=["deleted_at", "updated_at"])
        moment_revisions_bump(moment=moment)
        record(actor=actor, action="journal.moment.delete", target=moment)
    return moment


def moment_restore(*, actor: User, moment: Moment) -> Moment:
    """Undo a delete made less than ``UNDO_WINDOW`` ago."""
    _check_author(actor=actor, moment=moment)
    if moment.deleted_at is None:
        return moment
    if timezone.now() - moment.deleted_at > UNDO_WINDOW:
        raise RestoreExpired
    moment.deleted_at = None
    with transaction.atomic():
        moment.save(update_fields=["deleted_at", "updated_at"])
        moment_revisions_bump(moment=moment)
        record(actor=actor, action="journal.moment.restore", target=moment)
    return moment


def moments_purge_deleted(*, now: dt.datetime | None = None) -> int:
    """Erase moments whose undo window has passed. Idempotent; safe with several workers."""
    cutoff = (now or timezone.now()) - UNDO_WINDOW
    count, _details = Moment.objects.filter(deleted_at__lt=cutoff).delete()
    return count


def vocabulary_entry_add(*, owner: User, kind: str, label: str) -> tuple[VocabularyEntry, bool]:
    """Add a need or context in the person's own words; the same words again find the first.

    Returns the entry and whether it was created now.
    """
    if kind not in VocabularyEntry.Kind.values:
        raise ValidationError({"kind": [_("Choose needs or contexts.")]})
    label = clean_label(label)
    existing = list(own_vocabulary(owner=owner, kind=kind))
    for entry in existing:
        if entry.label.casefold() == label.casefold():
            return entry, False
    if len(existing) >= MAX_OWN_ENTRIES:
        raise ValidationError(
            {
                "label": [
                    _("You have %(n)s of your own already; that is the most.")
                    % {"n": MAX_OWN_ENTRIES}
                ]
            }
        )
    with transaction.atomic():
        entry = VocabularyEntry.objects.create(owner=owner, kind=kind, label=label)
        record(actor=owner, action="journal.vocabulary.add", target=entry, meta={"kind": kind})
    return entry, True
