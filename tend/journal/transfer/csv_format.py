"""CSV, for spreadsheets: the export's rows and the import's reading of them.

One row a moment, UTF-8 with a byte order mark (so that Excel reads accents and emoji correctly)
and CRLF line ends. Lists are joined with ``;``; a body entry is
``region:sensation+sensation:intensity`` (``chest:tight+racing:7; gut:drop:``); the person's own
needs and contexts are written ``own:<their words>``. A text cell that a spreadsheet would take
for a formula (it begins with ``=``, ``+``, ``-`` or ``@``) is written with a leading apostrophe,
which the import takes off again.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tend.journal.moment_fields import MOMENT_FIELDS, TEXT_FIELDS
from tend.journal.transfer.common import (
    CSV_COLUMNS,
    MAX_IMPORT_MOMENTS,
    MAX_REPORTED_ERRORS,
    ImportRejected,
    Parsed,
    Row,
    RowError,
    too_many,
)
from tend.journal.transfer.export import journal_export

if TYPE_CHECKING:
    from tend.accounts.models import User

_FORMULA_STARTS = ("=", "+", "-", "@")


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


def parse_csv(text: str) -> Parsed:
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
    rows: list[Row] = []
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
            raise too_many(MAX_IMPORT_MOMENTS + 1)
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
        row = Row(number=line, fields={})
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
    return Parsed(rows=rows, unit="Row")
