"""JSON, the complete format: reading an export's document into rows (``export.py`` writes it)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tend.core.text import unstorable_places
from tend.journal.moment_fields import MOMENT_FIELDS
from tend.journal.transfer.common import (
    FORMAT,
    FORMAT_VERSION,
    MAX_IMPORT_MOMENTS,
    MAX_REPORTED_ERRORS,
    READABLE_VERSIONS,
    RECORD_FIELDS,
    VERSION_FIELDS,
    ImportRejected,
    Parsed,
    Row,
    RowError,
    Version,
    too_many,
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


def parse_json(text: str) -> Parsed:
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
        raise too_many(len(moments))
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
    rows: list[Row] = []
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
        row = Row(number=number, fields={k: item[k] for k in MOMENT_FIELDS if k in item})
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
    return Parsed(rows=rows, unit="Moment", themes=listed_themes, people=list(people.values()))


def _parse_versions(
    number: int,
    items: Any,
    themes: dict[str, Any],
    people: dict[str, Any],
    errors: list[RowError],
) -> list[Version]:
    """A moment's earlier versions: their shape here; their values are checked on import."""
    if not isinstance(items, list):
        errors.append(RowError(number, "versions", _("Give the versions as a list."), "Moment"))
        return []
    versions: list[Version] = []
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
            Version(
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
