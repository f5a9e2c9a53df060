"""Taking a journal out of Tend and bringing one in: JSON (complete) and CSV (for spreadsheets).

JSON is the complete format. One document holds a format name and version, every moment with
every field, the person's own needs and contexts, their themes and, once they exist, their
people. Exporting it, importing it into an empty account and exporting again gives the same
content; only ids and the times rows were written differ.

CSV is for spreadsheets: one row a moment, UTF-8 with a byte order mark (so that Excel reads
accents and emoji correctly) and CRLF line ends. Lists are joined with ``;``; a body entry is
``region:sensation+sensation:intensity`` (``chest:tight+racing:7; gut:drop:``); the person's own
needs and contexts are written ``own:<their words>``. A text cell that a spreadsheet would take
for a formula (it begins with ``=``, ``+``, ``-`` or ``@``) is written with a leading apostrophe,
which the import takes off again.

An import checks every row against the same rules as the capture page and the API
(``validation.py``) before it stores anything, reports what to fix row by row, and then stores
everything in one transaction, or nothing. Each row's idempotency key is a digest of what the row
holds, so running the same import twice stores each moment once; a moment whose id is already in
the importer's journal is left as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.core.audit import record
from tend.journal.models import Moment, Theme
from tend.journal.selectors import moments_of, own_codes, own_vocabulary
from tend.journal.services import IdempotencyConflict, moment_log, vocabulary_entry_add
from tend.journal.validation import TEXT_FIELDS, clean_moment

if TYPE_CHECKING:
    from tend.accounts.models import User

FORMAT = "tend.journal"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_MOMENTS = 10_000
# Past this many problems the report stops: the file needs a fix at its source, not a list.
MAX_REPORTED_ERRORS = 100
THEME_NAME_LIMIT = 80

# The fields a moment is made of, in the order CSV columns follow.
MOMENT_FIELDS: tuple[str, ...] = (
    "kind",
    "occurred_at",
    *TEXT_FIELDS,
    "states",
    "intensity",
    "body",
    "needs",
    "contexts",
    "intensity_after",
    "minutes_to_settle",
)
# What an export adds about each moment beyond its fields. An import reads ``edited``, ``theme``
# and ``people`` and ignores the rest (the new rows get their own ids and times).
RECORD_FIELDS: tuple[str, ...] = ("id", "edited", "created_at", "updated_at", "theme", "people")
CSV_COLUMNS: tuple[str, ...] = ("id", *MOMENT_FIELDS, "theme", "people", "edited", "created_at")
_FORMULA_STARTS = ("=", "+", "-", "@")


# ---- Errors -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One thing to fix, where to fix it. The message never repeats what the file holds."""

    row: int | None
    field: str
    message: str
    # "Row" for CSV (the row number a spreadsheet shows), "Moment" for JSON (1 = the first).
    unit: str = "Row"

    def __str__(self) -> str:
        where = f"{self.unit} {self.row}" if self.row is not None else _("The file")
        label = "" if self.field in ("", "__all__") else f", {self.field}"
        return f"{where}{label}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """A problem-document entry: ``{"location": "file.row 7.intensity", "message": …}``."""
        location = "file" if self.row is None else f"file.{self.unit.lower()} {self.row}"
        if self.field not in ("", "__all__"):
            location += f".{self.field}"
        return {"location": location, "message": str(self)}


class ImportRejected(Exception):
    """Nothing was imported; ``errors`` says what to fix, row by row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    # Moments already in the journal: imported before, or the importer's own export.
    already_there: int = 0
    themes_created: int = 0
    people_created: int = 0


# ---- Optional parts: people and earlier versions arrive with their own models ----------------


def _model(name: str) -> Any:
    try:
        return apps.get_model("journal", name)
    except LookupError:
        return None


# ---- Export -----------------------------------------------------------------------------------


def _local_iso(moment_time: dt.datetime, user: User) -> str:
    return timezone.localtime(moment_time, user.tz).isoformat()


def _moment_record(
    moment: Moment, user: User, people: dict[uuid.UUID, list[str]] | None
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(moment.id)}
    for name in MOMENT_FIELDS:
        value = getattr(moment, name)
        data[name] = _local_iso(value, user) if name == "occurred_at" else value
    data["theme"] = str(moment.theme_id) if moment.theme_id else None
    if people is not None:
        data["people"] = people.get(moment.id, [])
    data["edited"] = moment.edited
    data["created_at"] = moment.created_at.isoformat()
    data["updated_at"] = moment.updated_at.isoformat()
    return data


def _people_of(user: User) -> tuple[list[dict[str, Any]], dict[uuid.UUID, list[str]]]:
    person_model = _model("Person")
    link_model = _model("MomentPerson")
    if person_model is None or link_model is None:
        return [], {}
    people = [
        {"id": str(p.pk), "label": p.label}  # type: ignore[attr-defined]
        for p in person_model.objects.filter(owner=user).select_related("owner__data_key")
    ]
    by_moment: dict[uuid.UUID, list[str]] = {}
    links = link_model.objects.filter(person__owner=user).values_list("moment_id", "person_id")
    for moment_id, person_id in links:
        by_moment.setdefault(moment_id, []).append(str(person_id))
    return people, by_moment


def journal_export(*, user: User) -> dict[str, Any]:
    """The whole journal of ``user`` as one JSON-able document (decrypted for them alone)."""
    people, by_moment = _people_of(user)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "time_zone": user.time_zone,
        "own_vocabulary": [
            {"code": entry.code, "kind": entry.kind, "label": entry.label}
            for entry in own_vocabulary(owner=user)
        ],
        "themes": [
            {"id": str(theme.id), "name": theme.name, "archived": theme.archived}
            for theme in Theme.objects.filter(owner=user).select_related("owner__data_key")
        ],
    }
    keeps_people = _model("Person") is not None
    if keeps_people:
        document["people"] = people
    document["moments"] = [
        _moment_record(moment, user, by_moment if keeps_people else None)
        for moment in moments_of(viewer=user)
    ]
    return document


def journal_export_json(*, user: User) -> str:
    return json.dumps(journal_export(user=user), ensure_ascii=False, indent=2) + "\n"


def _guard_formula(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _unguard_formula(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _body_text(body: list[dict[str, Any]]) -> str:
    parts = []
    for entry in body:
        intensity = "" if entry.get("intensity") is None else str(entry["intensity"])
        parts.append(f"{entry['region']}:{'+'.join(entry.get('sensations', []))}:{intensity}")
    return "; ".join(parts)


def journal_export_csv(*, user: User) -> str:
    """One row a moment, for a spreadsheet; starts with a byte order mark for Excel."""
    document = journal_export(user=user)
    own = {
        item["code"]: f"own:{item['label'].replace(';', ',')}"
        for item in document["own_vocabulary"]
    }
    themes = {item["id"]: item["name"] for item in document["themes"]}
    people = {item["id"]: item["label"].replace(";", ",") for item in document.get("people", [])}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in document["moments"]:
        row: list[str] = []
        for column in CSV_COLUMNS:
            value = item.get(column)
            if column in ("states", "needs", "contexts"):
                row.append("; ".join(own.get(code, code) for code in value))
            elif column == "body":
                row.append(_body_text(value))
            elif column == "theme":
                row.append(_guard_formula(themes.get(value, "")) if value else "")
            elif column == "people":
                row.append(_guard_formula("; ".join(people[p] for p in value or [] if p in people)))
            elif column == "edited":
                row.append("yes" if value else "no")
            elif value is None:
                row.append("")
            elif column in TEXT_FIELDS:
                row.append(_guard_formula(value))
            else:
                row.append(str(value))
        writer.writerow(row)
    return out.getvalue()


# ---- Import: reading a file into rows ---------------------------------------------------------


@dataclass
class _Row:
    number: int
    fields: dict[str, Any]
    source_id: str | None = None
    edited: bool = False
    theme: Any = None  # the theme's name (checked on import)
    people: list[Any] = field(default_factory=list)  # labels (checked on import)
    # Codes in needs/contexts that stand for the file's own words: code -> (kind, label).
    own: dict[str, tuple[str, Any]] = field(default_factory=dict)


@dataclass
class _Parsed:
    rows: list[_Row]
    unit: str


def _read_text(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            [
                RowError(
                    None,
                    "",
                    _(
                        "The file is %(size)s MB; import at most %(limit)s MB at a "
                        "time (split it into parts)."
                    )
                    % {
                        "size": f"{len(data) / 1024 / 1024:.1f}",
                        "limit": MAX_IMPORT_BYTES // 1024 // 1024,
                    },
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [
                RowError(
                    None,
                    "",
                    _(
                        "The file is not UTF-8 text. Save it as “CSV UTF-8” or as "
                        "JSON exported from Tend."
                    ),
                )
            ]
        ) from None


def _too_many(count: int) -> ImportRejected:
    return ImportRejected(
        [
            RowError(
                None,
                "",
                _("The file holds %(count)s moments; import at most %(limit)s at a time.")
                % {"count": f"{count:,}", "limit": f"{MAX_IMPORT_MOMENTS:,}"},
            )
        ]
    )


def _parse_json(text: str) -> _Parsed:
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ImportRejected([RowError(None, "", _("The file is not valid JSON."))]) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRejected(
            [
                RowError(
                    None, "format", _("This is not a Tend journal export (format “tend.journal”).")
                )
            ]
        )
    if document.get("version") != FORMAT_VERSION:
        raise ImportRejected(
            [
                RowError(
                    None,
                    "version",
                    _(
                        "This export has a format version this Tend does not "
                        "read (it reads version %(v)s)."
                    )
                    % {"v": FORMAT_VERSION},
                )
            ]
        )
    moments = document.get("moments")
    if not isinstance(moments, list):
        raise ImportRejected([RowError(None, "moments", _("Give the moments as a list."))])
    if len(moments) > MAX_IMPORT_MOMENTS:
        raise _too_many(len(moments))
    errors: list[RowError] = []
    own: dict[str, tuple[str, Any]] = {}
    for index, item in enumerate(_list(document, "own_vocabulary", errors), start=1):
        if (
            not isinstance(item, dict)
            or item.get("kind") not in ("needs", "contexts")
            or not (isinstance(item.get("code"), str))
        ):
            errors.append(
                RowError(
                    None,
                    f"own_vocabulary {index}",
                    _("Give each of your own words a code, a kind and a label."),
                )
            )
            continue
        own[item["code"]] = (item["kind"], item.get("label"))
    themes: dict[str, Any] = {}
    for index, item in enumerate(_list(document, "themes", errors), start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            errors.append(RowError(None, f"themes {index}", _("Give each theme an id and a name.")))
            continue
        themes[item["id"]] = item.get("name")
    people: dict[str, Any] = {}
    for index, item in enumerate(_list(document, "people", errors), start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            errors.append(
                RowError(None, f"people {index}", _("Give each person an id and a label."))
            )
            continue
        people[item["id"]] = item.get("label")
    rows: list[_Row] = []
    for number, item in enumerate(moments, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(number, "", _("Give each moment as an object."), "Moment"))
            continue
        unknown = set(item) - set(MOMENT_FIELDS) - set(RECORD_FIELDS)
        if unknown:
            errors.append(
                RowError(number, "", _("Remove the fields a moment does not have."), "Moment")
            )
            continue
        row = _Row(number=number, fields={k: item[k] for k in MOMENT_FIELDS if k in item})
        row.source_id = item["id"] if isinstance(item.get("id"), str) else None
        row.edited = item.get("edited") is True
        theme_ref = item.get("theme")
        if theme_ref is not None:
            if theme_ref not in themes:
                errors.append(
                    RowError(number, "theme", _("Name a theme listed in the file."), "Moment")
                )
                continue
            row.theme = themes[theme_ref]
        refs = item.get("people") or []
        if not isinstance(refs, list) or not all(isinstance(r, str) and r in people for r in refs):
            errors.append(
                RowError(number, "people", _("Name people listed in the file."), "Moment")
            )
            continue
        row.people = [people[r] for r in dict.fromkeys(refs)]
        row.own = {code: own[code] for code in _codes(row.fields) if code in own}
        rows.append(row)
    if errors:
        raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
    return _Parsed(rows=rows, unit="Moment")


def _list(document: dict[str, Any], name: str, errors: list[RowError]) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        errors.append(RowError(None, name, _("Give this as a list.")))
        return []
    return value


def _codes(fields: dict[str, Any]) -> Iterable[str]:
    for name in ("needs", "contexts"):
        value = fields.get(name)
        if isinstance(value, list):
            yield from (code for code in value if isinstance(code, str))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _csv_body(cell: str) -> list[dict[str, Any]]:
    entries = []
    for part in _split(cell):
        pieces = part.split(":")
        if len(pieces) != 3:
            raise ValueError
        region, felt, intensity = (p.strip() for p in pieces)
        entries.append(
            {
                "region": region,
                "sensations": [s.strip() for s in felt.split("+") if s.strip()],
                "intensity": intensity or None,
            }
        )
    return entries


def _parse_csv(text: str) -> _Parsed:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([RowError(None, "", _("The file is empty."))]) from None
    except csv.Error:
        raise ImportRejected(
            [RowError(1, "", _("The header row cannot be read as CSV."))]
        ) from None
    header = [name.strip() for name in header]
    known = set(CSV_COLUMNS) | {"updated_at"}
    errors: list[RowError] = []
    for position, name in enumerate(header, start=1):
        if name not in known:
            errors.append(
                RowError(
                    1,
                    "",
                    _(
                        "Column %(n)s of the header is not one Tend knows; "
                        "use the columns of a Tend CSV export."
                    )
                    % {"n": position},
                )
            )
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", _("A column appears twice in the header.")))
    if errors:
        raise ImportRejected(errors)
    rows: list[_Row] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            errors.append(
                RowError(line + 1, "", _("This row cannot be read as CSV (check its quotes)."))
            )
            break
        line += 1
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets leave blank rows at the end
        if len(rows) >= MAX_IMPORT_MOMENTS:
            raise _too_many(MAX_IMPORT_MOMENTS + 1)
        if len(cells) != len(header):
            errors.append(
                RowError(
                    line,
                    "",
                    _(
                        "This row has %(cells)s cells; the header has "
                        "%(columns)s. Check for a missing or extra comma."
                    )
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
            continue
        values = dict(zip(header, cells, strict=True))
        row = _Row(number=line, fields={})
        for name in MOMENT_FIELDS:
            if name not in values:
                continue
            cell = values[name]
            if name in TEXT_FIELDS:
                row.fields[name] = _unguard_formula(cell)
            elif name in ("states", "needs", "contexts"):
                codes = []
                for token in _split(cell):
                    if name != "states" and token.startswith("own:"):
                        code = f"csv-own:{name}:{token[4:].strip()}"
                        row.own[code] = (name, token[4:].strip())
                        codes.append(code)
                    else:
                        codes.append(token)
                row.fields[name] = codes
            elif name == "body":
                try:
                    row.fields["body"] = _csv_body(cell)
                except ValueError:
                    errors.append(
                        RowError(
                            line,
                            "body",
                            _(
                                "Write each body region as "
                                "region:sensation+sensation:intensity, "
                                "separated by ;."
                            ),
                        )
                    )
            else:
                row.fields[name] = cell.strip() or None
        row.source_id = values.get("id", "").strip() or None
        row.edited = values.get("edited", "").strip().lower() in ("yes", "true", "1")
        row.theme = _unguard_formula(values.get("theme", "")).strip() or None
        row.people = list(dict.fromkeys(_split(_unguard_formula(values.get("people", "")))))
        rows.append(row)
    if errors:
        raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
    return _Parsed(rows=rows, unit="Row")


def detect_format(filename: str, data: bytes) -> str:
    """``json`` or ``csv``, from the file's name or else its first character."""
    lowered = filename.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    return "json" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" else "csv"


# ---- Import: checking and storing ---------------------------------------------------------------


def _row_key(row: _Row, cleaned: dict[str, Any]) -> str:
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
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise ValidationError(_("Remove the invisible control characters."))
    return value.strip()


def journal_import(*, importer: User, data: bytes, fmt: str) -> ImportResult:
    """Import a journal file into ``importer``'s own journal: every row, or (on any error) none.

    Raises ``ImportRejected`` with every problem found; nothing is stored then.
    """
    if fmt not in ("json", "csv"):
        raise ImportRejected([RowError(None, "format", _("Choose JSON or CSV."))])
    text = _read_text(data)
    parsed = _parse_json(text) if fmt == "json" else _parse_csv(text)
    unit = parsed.unit
    result = ImportResult()
    person_model = _model("Person")
    with transaction.atomic():
        # First the person's own words, themes and people the rows refer to, so that the
        # rows can be checked against the codes they will have. All of it rolls back if
        # any row is wrong.
        errors: list[RowError] = []
        own_map = _import_own_words(importer, parsed.rows, unit, errors)
        themes = _import_themes(importer, parsed.rows, unit, errors, result)
        people = (
            _import_people(importer, parsed.rows, unit, errors, result, person_model)
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
        cleaned_rows: list[tuple[_Row, dict[str, Any]]] = []
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
        record(
            actor=importer,
            action="journal.import",
            target=importer,
            meta={"format": fmt, "created": result.created},
        )
    return result


def _import_own_words(
    importer: User, rows: list[_Row], unit: str, errors: list[RowError]
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


def _remap(row: _Row, own_map: dict[str, str]) -> dict[str, Any]:
    fields = dict(row.fields)
    for name in ("needs", "contexts"):
        value = fields.get(name)
        if isinstance(value, list):
            fields[name] = [
                own_map.get(code, code) if isinstance(code, str) else code for code in value
            ]
    return fields


def _import_themes(
    importer: User, rows: list[_Row], unit: str, errors: list[RowError], result: ImportResult
) -> dict[str, Theme]:
    """Theme name -> the importer's theme of that name (found, or made now)."""
    existing = {
        theme.name.casefold(): theme
        for theme in Theme.objects.filter(owner=importer).select_related("owner__data_key")
    }
    found: dict[str, Theme] = {}
    for row in rows:
        if row.theme is None or row.theme in found:
            continue
        try:
            name = _clean_name(row.theme, THEME_NAME_LIMIT)
        except ValidationError as error:
            errors.extend(RowError(row.number, "theme", m, unit) for m in error.messages)
            continue
        theme = existing.get(name.casefold())
        if theme is None:
            theme = Theme(owner=importer, name=name)
            theme.save()
            record(actor=importer, action="journal.theme.create", target=theme)
            existing[name.casefold()] = theme
            result.themes_created += 1
        found[row.theme] = theme
    return found


def _import_people(
    importer: User,
    rows: list[_Row],
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
    for row in rows:
        for label in row.people:
            try:
                clean = _clean_name(label, 60)
            except ValidationError as error:
                errors.extend(RowError(row.number, "people", m, unit) for m in error.messages)
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
    link_model = _model("MomentPerson")
    assert link_model is not None
    link_model.objects.bulk_create(
        [link_model(moment=moment, person=person) for person in people], ignore_conflicts=True
    )


def _existing_ids(importer: User, rows: list[_Row]) -> set[str]:
    ids = []
    for row in rows:
        try:
            ids.append(uuid.UUID(row.source_id or ""))
        except ValueError:
            continue
    found = Moment.objects.filter(author=importer, id__in=ids).values_list("id", flat=True)
    return {str(i) for i in found}
