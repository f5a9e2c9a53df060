"""What the export and the import share: the format's name and limits, its fields, the errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from tend.journal.moment_fields import MOMENT_FIELDS

FORMAT = "tend.journal"
FORMAT_VERSION = 2
# Version 1 had no earlier versions of moments; it reads the same otherwise.
READABLE_VERSIONS = (1, 2)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_MOMENTS = 10_000
# Past this many problems the report stops: the file needs a fix at its source, not a list.
MAX_REPORTED_ERRORS = 100
THEME_NAME_LIMIT = 80

# The fields a moment is made of, in the order CSV columns follow, are
# ``moment_fields.MOMENT_FIELDS``. What an export adds about each moment beyond its fields: an
# import reads ``edited``, ``theme`` and ``people`` and ignores the rest (the new rows get their
# own ids and times).
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


def optional_model(name: str) -> Any:
    try:
        return apps.get_model("journal", name)
    except LookupError:
        return None


# ---- A file read into rows, before anything is checked or stored -----------------------------


@dataclass
class Row:
    number: int
    fields: dict[str, Any]
    source_id: str | None = None
    edited: bool = False
    theme: Any = None  # the theme's name (checked on import)
    people: list[Any] = field(default_factory=list)  # labels (checked on import)
    # Codes in needs/contexts that stand for the file's own words: code -> (kind, label).
    own: dict[str, tuple[str, Any]] = field(default_factory=dict)
    versions: list[Version] = field(default_factory=list)


@dataclass
class Version:
    """An earlier version of a moment in the file, checked on import like the moment itself."""

    index: int  # 1 = the first listed, for error messages
    number: int
    saved_at: dt.datetime
    fields: dict[str, Any]
    theme: Any = None  # the theme's name
    people: list[Any] = field(default_factory=list)  # labels


@dataclass
class Parsed:
    rows: list[Row]
    unit: str
    # Every theme (name, archived) and person (label) the file lists, named by a moment or not.
    themes: list[tuple[Any, bool]] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)


def read_text(data: bytes) -> str:
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


def too_many(count: int) -> ImportRejected:
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
