"""Taking a journal out of Tend and bringing one in: JSON (complete) and CSV (for spreadsheets).

JSON is the complete format. One document holds a format name and version, every moment with
every field and its earlier versions (kept by edits), the person's own needs and contexts,
their themes (archived ones too) and their people, including those no moment names yet.
Exporting it, importing it into an empty account and exporting again gives the same content;
only ids and the times rows were written differ. Version 1 files (without earlier versions)
still import.

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
from tend.core.text import has_control_characters, unstorable_places
from tend.journal.models import Moment, Theme
from tend.journal.selectors import moments_of, own_codes, own_vocabulary
from tend.journal.services import IdempotencyConflict, moment_log, vocabulary_entry_add
from tend.journal.validation import TEXT_FIELDS, clean_moment

if TYPE_CHECKING:
    from tend.accounts.models import User

FORMAT = "tend.journal"
FORMAT_VERSION = 2
# Version 1 had no earlier versions of moments; it reads the same otherwise.
READABLE_VERSIONS = (1, 2)
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
RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "edited",
    "created_at",
    "updated_at",
    "theme",
    "people",
    "versions",
)
# An earlier version holds the moment's fields as they were, with its number, when it was
# replaced, and the theme and people it had then (those that still exist).
VERSION_FIELDS: tuple[str, ...] = ("number", "saved_at", *MOMENT_FIELDS, "theme", "people")
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
    moment: Moment,
    user: User,
    people: dict[uuid.UUID, list[str]] | None,
    versions: list[dict[str, Any]],
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
    data["versions"] = versions
    return data


def _versions_of(
    user: User, *, people: list[str], themes: set[str]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each moment's earlier versions, oldest first, as export records.

    A version keeps the ids of the people and theme it had. One deleted since has no label
    left to export, so it is left out: the file names only people and themes it lists.
    """
    from tend.journal.version_models import MomentVersion

    order = {pid: index for index, pid in enumerate(people)}
    by_moment: dict[uuid.UUID, list[dict[str, Any]]] = {}
    rows = (
        MomentVersion.objects.filter(author=user, moment__author=user)
        .select_related("author__data_key")
        .order_by("moment_id", "number")
    )
    for version in rows:
        data: dict[str, Any] = {"number": version.number, "saved_at": version.saved_at.isoformat()}
        for name in MOMENT_FIELDS:
            value = getattr(version, name)
            data[name] = _local_iso(value, user) if name == "occurred_at" else value
        theme = str(version.theme_id) if version.theme_id else None
        data["theme"] = theme if theme in themes else None
        data["people"] = sorted(
            (str(p) for p in version.people or [] if str(p) in order), key=order.__getitem__
        )
        by_moment.setdefault(version.moment_id, []).append(data)
    return by_moment


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
    # In the order of the person's list, as moments show them, so an export reads the same
    # every time.
    links = (
        link_model.objects.filter(person__owner=user)
        .order_by("person__created_at", "person_id")
        .values_list("moment_id", "person_id")
    )
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
    versions = _versions_of(
        user,
        people=[p["id"] for p in people],
        themes={t["id"] for t in document["themes"]},
    )
    document["moments"] = [
        _moment_record(
            moment, user, by_moment if keeps_people else None, versions.get(moment.id, [])
        )
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
    versions: list[_Version] = field(default_factory=list)


@dataclass
class _Version:
    """An earlier version of a moment in the file, checked on import like the moment itself."""

    index: int  # 1 = the first listed, for error messages
    number: int
    saved_at: dt.datetime
    fields: dict[str, Any]
    theme: Any = None  # the theme's name
    people: list[Any] = field(default_factory=list)  # labels


@dataclass
class _Parsed:
    rows: list[_Row]
    unit: str
    # Every theme (name, archived) and person (label) the file lists, named by a moment or not.
    themes: list[tuple[Any, bool]] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)


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


# A file full of bad characters is told about a few of them, not each one.
MAX_REPORTED_PLACES = 20


def _unstorable_at(place: tuple[str | int, ...]) -> RowError:
    message = _("Remove the character that cannot be stored (a NUL, or half of an emoji's pair).")
    if len(place) >= 2 and place[0] == "moments" and isinstance(place[1], int):
        # Moments are counted from 1, as every other error about them says.
        field = ".".join(str(part) for part in place[2:])
        return RowError(place[1] + 1, field, message, unit="Moment")
    return RowError(None, ".".join(str(part) for part in place), message)


def _parse_json(text: str) -> _Parsed:
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ImportRejected([RowError(None, "", _("The file is not valid JSON."))]) from None
    # Before anything else reads it: text no database can hold (a NUL, or a lone surrogate
    # from a "\\ud800" escape) is refused wherever it is, with the place to fix.
    places = unstorable_places(document)
    if places:
        raise ImportRejected([_unstorable_at(place) for place in places[:MAX_REPORTED_PLACES]])
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRejected(
            [
                RowError(
                    None, "format", _("This is not a Tend journal export (format “tend.journal”).")
                )
            ]
        )
    if document.get("version") not in READABLE_VERSIONS:
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
    listed_themes: list[tuple[Any, bool]] = []
    for index, item in enumerate(_list(document, "themes", errors), start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            errors.append(RowError(None, f"themes {index}", _("Give each theme an id and a name.")))
            continue
        themes[item["id"]] = item.get("name")
        listed_themes.append((item.get("name"), item.get("archived") is True))
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
        row.versions = _parse_versions(number, item.get("versions", []), themes, people, errors)
        codes = [*_codes(row.fields), *(c for v in row.versions for c in _codes(v.fields))]
        row.own = {code: own[code] for code in codes if code in own}
        rows.append(row)
    if errors:
        raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
    return _Parsed(rows=rows, unit="Moment", themes=listed_themes, people=list(people.values()))


def _parse_versions(
    number: int,
    items: Any,
    themes: dict[str, Any],
    people: dict[str, Any],
    errors: list[RowError],
) -> list[_Version]:
    """A moment's earlier versions: their shape here; their values are checked on import."""
    if not isinstance(items, list):
        errors.append(RowError(number, "versions", _("Give the versions as a list."), "Moment"))
        return []
    versions: list[_Version] = []
    numbers: set[int] = set()
    for index, item in enumerate(items, start=1):
        where = f"versions {index}"
        if not isinstance(item, dict) or set(item) - set(VERSION_FIELDS):
            errors.append(
                RowError(number, where, _("Give each version the fields of a moment."), "Moment")
            )
            continue
        version_number = item.get("number")
        if (
            not isinstance(version_number, int)
            or isinstance(version_number, bool)
            or version_number < 1
            or version_number in numbers
        ):
            errors.append(
                RowError(
                    number,
                    f"{where}.number",
                    _("Number the versions 1, 2, 3… each once."),
                    "Moment",
                )
            )
            continue
        numbers.add(version_number)
        try:
            saved_at = dt.datetime.fromisoformat(str(item.get("saved_at")))
        except ValueError:
            saved_at = None
        if saved_at is None or saved_at.tzinfo is None:
            errors.append(
                RowError(
                    number,
                    f"{where}.saved_at",
                    _("Give a date and time with a time zone offset."),
                    "Moment",
                )
            )
            continue
        theme_ref = item.get("theme")
        refs = item.get("people") or []
        if theme_ref is not None and theme_ref not in themes:
            errors.append(
                RowError(number, f"{where}.theme", _("Name a theme listed in the file."), "Moment")
            )
            continue
        if not isinstance(refs, list) or not all(isinstance(r, str) and r in people for r in refs):
            errors.append(
                RowError(number, f"{where}.people", _("Name people listed in the file."), "Moment")
            )
            continue
        versions.append(
            _Version(
                index=index,
                number=version_number,
                saved_at=saved_at,
                fields={k: item[k] for k in MOMENT_FIELDS if k in item},
                theme=themes[theme_ref] if theme_ref is not None else None,
                people=[people[r] for r in dict.fromkeys(refs)],
            )
        )
    return versions


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
    if has_control_characters(value, allow_line_breaks=False):
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
    row: _Row, own_map: dict[str, str], codes: Any, unit: str, errors: list[RowError]
) -> bool:
    """Check a row's earlier versions by the moment rules; keep their cleaned fields on them."""
    fine = True
    for version in row.versions:
        where = f"versions {version.index}"
        fields = _remap(_Row(number=row.number, fields=version.fields), own_map)
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
    moment: Moment, versions: list[_Version], *, themes: dict[str, Theme], people: dict[str, Any]
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
    importer: User, parsed: _Parsed, unit: str, errors: list[RowError], result: ImportResult
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
    parsed: _Parsed,
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
