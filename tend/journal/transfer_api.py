"""The API for taking a journal out and bringing one in (rules in ``transfer.py``).

Mounted at ``/api/v1/moments`` before the moments router, so that ``/export`` and ``/import``
are found before ``/{moment_id}`` would take them for an id.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import File, Query, Router
from ninja import Schema as NinjaSchema
from ninja.files import UploadedFile
from pydantic import Field

from tend.api.errors import problem
from tend.api.schemas import OutSchema, Problem
from tend.journal.transfer import (
    MAX_IMPORT_BYTES,
    ImportRejected,
    detect_format,
    journal_export_csv,
    journal_export_json,
    journal_import,
)

router = Router(tags=["moments"])


class ExportParams(NinjaSchema):
    format: Literal["json", "csv"] = Field(
        default="json", description="json: complete, re-importable; csv: for spreadsheets."
    )


class ImportParams(NinjaSchema):
    format: Literal["json", "csv"] | None = Field(
        default=None, description="Leave out to tell by the file's name or first character."
    )


class ImportOut(OutSchema):
    created: int = Field(description="Moments added to your journal now.")
    already_there: int = Field(description="Moments your journal already held (not doubled).")
    themes_created: int
    people_created: int


def download(*, text: str, fmt: str) -> HttpResponse:
    """The export as a file to save: ``tend-journal-<date>.json`` or ``.csv``."""
    content_type = "text/csv" if fmt == "csv" else "application/json"
    # The CSV text starts with a byte order mark: that is what makes Excel read it as UTF-8.
    response = HttpResponse(text.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    filename = f"tend-journal-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/export",
    summary="Export your journal",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The journal, as a file to save.",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
    description=(
        "Every moment you logged, with every field. `format=json` (the default) is complete "
        "and can be imported again (it also holds your own words, themes and people); "
        "`format=csv` has one row a moment, for spreadsheets (UTF-8 with a byte order mark)."
    ),
)
def moments_export(request: HttpRequest, params: Query[ExportParams]) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    if params.format == "csv":
        return download(text=journal_export_csv(user=user), fmt="csv")
    return download(text=journal_export_json(user=user), fmt="json")


@router.post(
    "/import",
    response={200: ImportOut, 413: Problem, 422: Problem},
    summary="Import moments into your journal",
    description=(
        "Send a Tend JSON export or a CSV in the export's columns as the multipart field "
        f"`file` (at most {MAX_IMPORT_BYTES // 1024 // 1024} MB). Every row is checked first: "
        "if any is wrong, nothing is imported and `errors` says what to fix, row by row. "
        "Importing the same file again adds nothing twice."
    ),
)
def moments_import(
    request: HttpRequest, params: Query[ImportParams], file: File[UploadedFile]
) -> Any:
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        return problem(
            413,
            gettext(
                "The file is too large; import at most %(megabytes)d MB at a time (split it into "
                "parts)."
            )
            % {"megabytes": MAX_IMPORT_BYTES // 1024 // 1024},
        )
    data = file.read(MAX_IMPORT_BYTES + 1)
    fmt = params.format or detect_format(file.name or "", data)
    try:
        result = journal_import(
            importer=request.auth,  # type: ignore[attr-defined]
            data=data,
            fmt=fmt,
        )
    except ImportRejected as rejected:
        return problem(
            422,
            gettext(
                "Nothing was imported. Fix what errors lists (row by row) and import the file "
                "again."
            ),
            errors=[error.as_dict() for error in rejected.errors],
        )
    return ImportOut(**vars(result))
