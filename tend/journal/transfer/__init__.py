"""Taking a journal out of Tend and bringing one in: JSON (complete) and CSV (for spreadsheets).

JSON is the complete format. One document holds a format name and version, every moment with
every field and its earlier versions (kept by edits), the person's own needs and contexts,
their themes (archived ones too) and their people, including those no moment names yet.
Exporting it, importing it into an empty account and exporting again gives the same content;
only ids and the times rows were written differ. Version 1 files (without earlier versions)
still import.

CSV is for spreadsheets: one row a moment (``csv_format.py`` says how cells are written).

An import checks every row against the same rules as the capture page and the API
(``validation.py``) before it stores anything, reports what to fix row by row, and then stores
everything in one transaction, or nothing. Each row's idempotency key is a digest of what the row
holds, so running the same import twice stores each moment once; a moment whose id is already in
the importer's journal is left as it is.

The package: ``common.py`` (the format's name, limits and fields; the errors), ``export.py``
(the JSON document), ``json_format.py`` and ``csv_format.py`` (each format written and read into
rows), ``imports.py`` (checking and storing). Callers import from here.
"""

from __future__ import annotations

from tend.journal.transfer.common import (
    CSV_COLUMNS,
    FORMAT,
    FORMAT_VERSION,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_MOMENTS,
    MAX_REPORTED_ERRORS,
    MOMENT_FIELDS,
    READABLE_VERSIONS,
    RECORD_FIELDS,
    VERSION_FIELDS,
    ImportRejected,
    ImportResult,
    RowError,
)
from tend.journal.transfer.csv_format import journal_export_csv
from tend.journal.transfer.export import journal_export, journal_export_json
from tend.journal.transfer.imports import detect_format, journal_import

__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_MOMENTS",
    "MAX_REPORTED_ERRORS",
    "MOMENT_FIELDS",
    "READABLE_VERSIONS",
    "RECORD_FIELDS",
    "VERSION_FIELDS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "detect_format",
    "journal_export",
    "journal_export_csv",
    "journal_export_json",
    "journal_import",
]
