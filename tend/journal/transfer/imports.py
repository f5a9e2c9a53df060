"""The import: a file checked row by row by the moment rules, then stored in one transaction."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tend.core.audit import record
from tend.core.text import has_control_characters
from tend.journal.models import Moment, Theme
from tend.journal.selectors import own_codes
from tend.journal.services import IdempotencyConflict, moment_log, vocabulary_entry_add
from tend.journal.transfer.common import (
    MAX_REPORTED_ERRORS,
    THEME_NAME_LIMIT,
    ImportRejected,
    ImportResult,
    Parsed,
    Row,
    RowError,
    Version,
    optional_model,
    read_text,
)
from tend.journal.transfer.csv_format import parse_csv
from tend.journal.transfer.json_format import parse_json
from tend.journal.validation import clean_moment

if TYPE_CHECKING:
    from tend.accounts.models import User


def detect_format(filename: str, data: bytes) -> str:
    """``json`` or ``csv``, from the file's name or else its first character."""
    lowered = filename.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    return "json" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" else "csv"


def _row_key(row: Row, cleaned: dict[str, Any]) -> str:
    """The row's idempotency key: a digest of what it holds, so the same row is stored once."""
    canonical = json.dumps(
        {"fields": cleaned, "theme": row.theme, "people": sorted(row.people)},
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return "import:" + hashlib.sha256(canonical.encode()).hexdigest()


def _clean_name(value: Any, limit: int) -> str:
    """Theme names and people labels follow the rules of one's own words: short, no controls."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Write a few words."))
    if len(value.strip()) > limit:
        raise ValidationError(_("Keep this under %(n)s characters.") % {"n": limit})
    if has_control_characters(value, allow_line_breaks=False):
        raise ValidationError(_("Remove the invisible control characters."))
    return value.strip()


def journal_import(*, importer: User, data: bytes, fmt: str) -> ImportResult:
    """Import a journal file into ``importer``'s own journal: every row, or (on any error) none.

    Raises ``ImportRejected`` with every problem found; nothing is stored then.
    """
    if fmt not in ("json", "csv"):
        raise ImportRejected([RowError(None, "format", _("Choose JSON or CSV."))])
    text = read_text(data)
    parsed = parse_json(text) if fmt == "json" else parse_csv(text)
    unit = parsed.unit
    result = ImportResult()
    person_model = optional_model("Person")
    with transaction.atomic():
        # First the person's own words, themes and people the rows refer to, so that the
        # rows can be checked against the codes they will have. All of it rolls back if
        # any row is wrong.
        errors: list[RowError] = []
        own_map = _import_own_words(importer, parsed.rows, unit, errors)
        themes = _import_themes(importer, parsed, unit, errors, result)
        people = (
            _import_people(importer, parsed, unit, errors, result, person_model)
            if person_model is not None
            else {}
        )
        if person_model is None:
            for row in parsed.rows:
                if row.people:
                    errors.append(
                        RowError(
                            row.number,
                            "people",
                            _("This Tend does not keep people yet; leave this empty."),
                            unit,
                        )
                    )
        codes = own_codes(owner=importer)
        cleaned_rows: list[tuple[Row, dict[str, Any]]] = []
        for row in parsed.rows:
            fields = _remap(row, own_map)
            if "occurred_at" not in fields or fields["occurred_at"] in (None, ""):
                errors.append(
                    RowError(
                        row.number, "occurred_at", _("Give the date and time it happened."), unit
                    )
                )
                continue
            try:
                cleaned = clean_moment(fields, own_codes=codes)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.extend(RowError(row.number, name, m, unit) for m in messages)
                continue
            if not _clean_versions(row, own_map, codes, unit, errors):
                continue
            cleaned_rows.append((row, cleaned))
        if errors:
            raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
        existing_ids = _existing_ids(importer, parsed.rows)
        for row, cleaned in cleaned_rows:
            if row.source_id in existing_ids:
                result.already_there += 1
                continue
            try:
                moment, created = moment_log(
                    author=importer, idempotency_key=_row_key(row, cleaned), **cleaned
                )
            except IdempotencyConflict:  # cannot happen: the key is a digest of the fields
                result.already_there += 1
                continue
            if not created:
                result.already_there += 1
                continue
            result.created += 1
            theme = themes.get(row.theme) if row.theme else None
            if theme is not None or row.edited:
                Moment.objects.filter(pk=moment.pk).update(theme=theme, edited=row.edited)
            if row.people and person_model is not None:
                _link_people(moment, [people[label.casefold()] for label in row.people])
            if row.versions:
                _keep_versions(moment, row.versions, themes=themes, people=people)
        record(
            actor=importer,
            action="journal.import",
            target=importer,
            meta={"format": fmt, "created": result.created},
        )
    return result


def _clean_versions(
    row: Row, own_map: dict[str, str], codes: Any, unit: str, errors: list[RowError]
) -> bool:
    """Check a row's earlier versions by the moment rules; keep their cleaned fields on them."""
    fine = True
    for version in row.versions:
        where = f"versions {version.index}"
        fields = _remap(Row(number=row.number, fields=version.fields), own_map)
        if fields.get("occurred_at") in (None, ""):
            errors.append(
                RowError(
                    row.number,
                    f"{where}.occurred_at",
                    _("Give the date and time it happened."),
                    unit,
                )
            )
            fine = False
            continue
        try:
            # History as it was: only a new moment must have a cue or a state.
            version.fields = clean_moment(fields, own_codes=codes, partial=True)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.extend(RowError(row.number, f"{where}.{name}", m, unit) for m in messages)
            fine = False
    return fine


def _keep_versions(
    moment: Moment, versions: list[Version], *, themes: dict[str, Theme], people: dict[str, Any]
) -> None:
    """Store a new moment's earlier versions, as the edits that made them would have."""
    from tend.journal.version_models import MomentVersion

    for version in versions:
        theme = themes.get(version.theme) if version.theme else None
        kept = MomentVersion(
            moment=moment,
            author_id=moment.author_id,
            number=version.number,
            people=[str(people[label.casefold()].pk) for label in version.people],
            theme_id=theme.pk if theme is not None else None,
            **version.fields,
        )
        kept.save()
        # ``saved_at`` is set on insert; the file knows when the version was really replaced.
        MomentVersion.objects.filter(pk=kept.pk).update(saved_at=version.saved_at)


def _import_own_words(
    importer: User, rows: list[Row], unit: str, errors: list[RowError]
) -> dict[str, str]:
    """File code -> the importer's code, adding the words they do not have yet."""
    mapping: dict[str, str] = {}
    for row in rows:
        for code, (kind, label) in row.own.items():
            if code in mapping:
                continue
            try:
                entry, _created = vocabulary_entry_add(owner=importer, kind=kind, label=label)
            except ValidationError as error:
                messages = [m for ms in error.message_dict.values() for m in ms]
                errors.extend(RowError(row.number, kind, m, unit) for m in messages)
                mapping[code] = code
                continue
            mapping[code] = entry.code
    return mapping


def _remap(row: Row, own_map: dict[str, str]) -> dict[str, Any]:
    fields = dict(row.fields)
    for name in ("needs", "contexts"):
        value = fields.get(name)
        if isinstance(value, list):
            fields[name] = [
                own_map.get(code, code) if isinstance(code, str) else code for code in value
            ]
    return fields


def _import_themes(
    importer: User, parsed: Parsed, unit: str, errors: list[RowError], result: ImportResult
) -> dict[str, Theme]:
    """Theme name -> the importer's theme of that name (found, or made now).

    Every theme the file lists comes in, in its order, archived or not, even one no moment is
    filed under; then any other the rows name (a CSV names themes only on its rows).
    """
    existing = {
        theme.name.casefold(): theme
        for theme in Theme.objects.filter(owner=importer).select_related("owner__data_key")
    }
    found: dict[str, Theme] = {}
    wanted: list[tuple[int | None, Any, bool]] = [(None, n, a) for n, a in parsed.themes]
    for row in parsed.rows:
        wanted.append((row.number, row.theme, False))
        wanted.extend((row.number, v.theme, False) for v in row.versions)
    refused: set[str] = set()
    for number, raw, archived in wanted:
        if raw is None or (isinstance(raw, str) and (raw in found or raw in refused)):
            continue
        try:
            name = _clean_name(raw, THEME_NAME_LIMIT)
        except ValidationError as error:
            errors.extend(RowError(number, "theme", m, unit) for m in error.messages)
            if isinstance(raw, str):
                refused.add(raw)  # said once; nothing is stored
            continue
        theme = existing.get(name.casefold())
        if theme is None:
            # An archived theme of one's own stays as it is; a new one comes in as it was.
            theme = Theme(owner=importer, name=name, archived=archived)
            theme.save()
            record(actor=importer, action="journal.theme.create", target=theme)
            existing[name.casefold()] = theme
            result.themes_created += 1
        found[raw] = theme
    return found


def _import_people(
    importer: User,
    parsed: Parsed,
    unit: str,
    errors: list[RowError],
    result: ImportResult,
    person_model: Any,
) -> dict[str, Any]:
    """Label (casefolded) -> the importer's person of that label (found, or made now)."""
    existing = {
        p.label.casefold(): p  # type: ignore[attr-defined]
        for p in person_model.objects.filter(owner=importer).select_related("owner__data_key")
    }
    # Everyone the file lists, in its order (also those no moment names), then the rows' own.
    wanted: list[tuple[int | None, Any]] = [(None, label) for label in parsed.people]
    for row in parsed.rows:
        wanted.extend((row.number, label) for label in row.people)
        wanted.extend((row.number, label) for v in row.versions for label in v.people)
    for number, label in wanted:
        if isinstance(label, str) and label.casefold() in existing:
            continue
        try:
            clean = _clean_name(label, 60)
        except ValidationError as error:
            errors.extend(RowError(number, "people", m, unit) for m in error.messages)
            continue
        if clean.casefold() not in existing:
            person = person_model(owner=importer, label=clean)
            person.save()
            record(actor=importer, action="journal.person.add", target=person)
            existing[clean.casefold()] = person
            result.people_created += 1
        existing.setdefault(label.casefold(), existing[clean.casefold()])
    return existing


def _link_people(moment: Moment, people: list[Any]) -> None:
    link_model = optional_model("MomentPerson")
    assert link_model is not None
    link_model.objects.bulk_create(
        [link_model(moment=moment, person=person) for person in people], ignore_conflicts=True
    )


def _existing_ids(importer: User, rows: list[Row]) -> set[str]:
    ids = []
    for row in rows:
        try:
            ids.append(uuid.UUID(row.source_id or ""))
        except ValueError:
            continue
    found = Moment.objects.filter(author=importer, id__in=ids).values_list("id", flat=True)
    return {str(i) for i in found}
