"""Pages for taking a journal out and bringing one in, reached from Settings → Your data."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tend.accounts.requests import person_of
from tend.journal.transfer import (
    MAX_IMPORT_BYTES,
    ImportRejected,
    RowError,
    detect_format,
    journal_export_csv,
    journal_export_json,
    journal_import,
)
from tend.journal.transfer_api import download


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Journal file (JSON or CSV)"),
        help_text=gettext_lazy(
            "A Tend JSON export, or a CSV with the columns of a Tend CSV export."
        ),
    )


@login_required
@require_http_methods(["GET"])
def journal_export_view(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "csv":
        return download(text=journal_export_csv(user=person_of(request)), fmt="csv")
    return download(text=journal_export_json(user=person_of(request)), fmt="json")


@login_required
@require_http_methods(["GET", "POST"])
def journal_import_view(request: HttpRequest) -> HttpResponse:
    errors: list[RowError] = []
    # Bound on every POST, so that an empty one says "choose a file" rather than nothing.
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error(
                "file",
                _("This file is too large; import at most %(limit)s MB at a time.")
                % {"limit": MAX_IMPORT_BYTES // 1024 // 1024},
            )
        else:
            data = upload.read()
            try:
                result = journal_import(
                    importer=person_of(request),
                    data=data,
                    fmt=detect_format(upload.name or "", data),
                )
            except ImportRejected as rejected:
                errors = rejected.errors
            else:
                messages.success(
                    request,
                    _("Imported %(created)s moments; %(already)s were already in your journal.")
                    % {"created": result.created, "already": result.already_there},
                )
                return redirect("journal:index")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "journal/import.html",
        {"form": form, "errors": errors, "limit_mb": MAX_IMPORT_BYTES // 1024 // 1024},
        status=status,
    )
