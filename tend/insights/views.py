"""Pages: the trigger map, its printable report, and the report as a PDF. Owner's own data only."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tend.accounts.requests import person_of
from tend.core import audit
from tend.insights.forms import PERIODS, PeriodForm, SectionsForm, bounds
from tend.insights.maps import TriggerMap
from tend.insights.report import glossary, render_pdf, report_context
from tend.insights.selectors import stories, trigger_map


def _map(request: HttpRequest) -> tuple[PeriodForm, TriggerMap, dt.date, dt.date]:
    user = person_of(request)
    form = PeriodForm(request.GET, tz=user.tz)
    first, last = form.days()
    start, end = bounds(first, last, user.tz)
    return form, trigger_map(owner=user, start=start, end=end), first, last


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, found, first, last = _map(request)
    return render(
        request,
        "insights/index.html",
        {
            "form": form,
            "periods": PERIODS,
            "chosen": form.data.get("period") or "30",
            "map": found,
            "first": first,
            "last": last,
            "sections_form": SectionsForm(),
            "glossary": glossary(),
            "query": request.GET.urlencode(),
        },
        # A 200 even when the period needs fixing: the page still shows a map (the last 30 days).
    )


def _report_parts(request: HttpRequest) -> tuple[TriggerMap, tuple[str, ...], list[dict[str, str]]]:
    _form, found, first, last = _map(request)
    sections = SectionsForm(request.GET).chosen()
    user = person_of(request)
    start, end = bounds(first, last, user.tz)
    words = stories(owner=user, start=start, end=end) if "stories" in sections else []
    return found, sections, words


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The report as a page to print (print CSS), with the same sections as the PDF."""
    found, sections, words = _report_parts(request)
    context = report_context(found, sections=sections, stories=words)
    context["query"] = request.GET.urlencode()
    return render(request, "insights/report.html", context)


@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    found, sections, words = _report_parts(request)
    pdf = render_pdf(found, sections=sections, stories=words, request=request)
    audit.record(
        actor=person_of(request),
        action="insights.report_downloaded",
        meta={"sections": len(sections), "stories": "stories" in sections},
    )
    return pdf_response(pdf, found)


def pdf_response(pdf: bytes, found: TriggerMap) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"tend-trigger-map-{found.first_day.isoformat()}-{found.last_day.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
