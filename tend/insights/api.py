"""The insights API: one's own trigger map as JSON, and the report as a PDF.

Handlers stay thin: the counting lives in selectors.py/queries.py, the PDF in report.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router
from ninja import Schema as NinjaSchema
from pydantic import Field

from tend.api.errors import problem
from tend.api.schemas import IsoDate, Problem
from tend.core import audit
from tend.insights.forms import bounds, last_days, parse_sections, period_error
from tend.insights.report import REPORT_SECTIONS, render_pdf
from tend.insights.schemas import MapOut, map_out
from tend.insights.selectors import stories, trigger_map
from tend.insights.views import pdf_response

router = Router(tags=["insights"])


class PeriodParams(NinjaSchema):
    date_from: IsoDate | None = Field(
        default=None, alias="from", description="First day, in your time zone (with `to`)."
    )
    date_to: IsoDate | None = Field(
        default=None,
        alias="to",
        description="Last day, inclusive. Without `from` and `to`: the last 30 days.",
    )


class ReportParams(PeriodParams):
    sections: str | None = Field(
        default=None,
        max_length=200,
        description="Comma-separated, from: "
        + ", ".join(REPORT_SECTIONS)
        + ". Default: all but stories (your own words stay out unless you ask).",
    )


def _period(
    request: HttpRequest, params: PeriodParams
) -> tuple[dt.datetime, dt.datetime] | HttpResponse:
    tz = request.auth.tz  # type: ignore[attr-defined]
    first, last = params.date_from, params.date_to
    if first is None and last is None:
        first, last = last_days(30, tz)
    error = period_error(first, last)
    if error is not None:
        return problem(422, error, errors=[{"location": "query", "message": error}])
    assert first is not None and last is not None  # period_error checked both
    return bounds(first, last, tz)


@router.get(
    "/map",
    response={200: MapOut, 422: Problem},
    by_alias=True,
    summary="Your trigger map",
    description=(
        "Aggregates of your own moments in a period: per theme (counts, states, intensity, "
        "drop, time to settle, body, needs, people, contexts), the body heat map, what helps "
        "(ranked by median drop with a 95% bootstrap interval, or too few to tell below "
        "`min_n`), time of day by weekday, people and contexts, weekly trends, the glimmer map "
        "and recurring urges and actions. Every figure carries its `n`."
    ),
)
def insights_map(request: HttpRequest, params: Query[PeriodParams]) -> Any:
    period = _period(request, params)
    if isinstance(period, HttpResponse):
        return period
    start, end = period
    return map_out(trigger_map(owner=request.auth, start=start, end=end))  # type: ignore[attr-defined]


@router.get(
    "/report.pdf",
    response={200: None, 422: Problem},
    summary="Your trigger map as a PDF report",
    description="A PDF of the chosen sections, with sample sizes and a plain glossary.",
    openapi_extra={
        "responses": {"200": {"description": "The PDF", "content": {"application/pdf": {}}}}
    },
)
def insights_report(request: HttpRequest, params: Query[ReportParams]) -> Any:
    period = _period(request, params)
    if isinstance(period, HttpResponse):
        return period
    sections = parse_sections(params.sections)
    if sections is None:
        return problem(
            422,
            gettext("Unknown section. Choose from: %(sections)s.")
            % {"sections": ", ".join(REPORT_SECTIONS)},
            errors=[{"location": "query.sections", "message": gettext("Unknown section.")}],
        )
    user = request.auth  # type: ignore[attr-defined]
    start, end = period
    found = trigger_map(owner=user, start=start, end=end)
    words = stories(owner=user, start=start, end=end) if "stories" in sections else []
    pdf = render_pdf(found, sections=sections, stories=words, request=request)
    audit.record(
        actor=user,
        action="insights.report_downloaded",
        meta={"sections": len(sections), "stories": "stories" in sections},
    )
    return pdf_response(pdf, found)
