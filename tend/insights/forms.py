"""The period picker (30, 90, 365 days or custom dates) and the report's choice of sections.

Both read GET parameters, so a period is a link one can keep. An invalid period is shown again as
typed, with what to fix, and the map falls back to the last 30 days meanwhile.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tend.insights.report import DEFAULT_SECTIONS, REPORT_SECTIONS, section_labels

PERIODS = (("30", _("30 days")), ("90", _("90 days")), ("365", _("A year")), ("custom", _("Dates")))
MAX_DAYS = 3 * 366
# Dates outside these years are typing slips (and 9999-12-31 has no "day after" to end on).
FIRST_YEAR, LAST_YEAR = 1970, 2200


def out_of_range(*days: dt.date) -> bool:
    return any(not FIRST_YEAR <= day.year <= LAST_YEAR for day in days)


def period_error(first: dt.date | None, last: dt.date | None) -> str | None:
    """What is wrong with a custom period from ``first`` to ``last``, or None if nothing is.

    The one statement of the period rules, for the picker's form and the API alike.
    """
    if first is None or last is None:
        return gettext("Choose both a first and a last day.")
    if out_of_range(first, last):
        return gettext("Choose days between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if first > last:
        return gettext("The first day comes after the last day.")
    if (last - first).days >= MAX_DAYS:
        return gettext("Choose a period of at most three years.")
    return None


def bounds(first: dt.date, last: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight at the start of ``first`` to local midnight after ``last``."""
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end


def last_days(days: int, tz: dt.tzinfo) -> tuple[dt.date, dt.date]:
    today = timezone.localdate(timezone=tz)  # type: ignore[arg-type]
    return today - dt.timedelta(days=days - 1), today


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the first day as a date, like 2026-03-01.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the last day as a date, like 2026-03-31.")},
    )

    def __init__(self, data: Any, *, tz: dt.tzinfo) -> None:
        # ``from`` and ``to`` are the public names (as in the API); the form's fields say more.
        data = data.copy() if data is not None else {}
        for public, name in (("from", "start"), ("to", "end")):
            if public in data and name not in data:
                data[name] = data[public]
        if data.get("start") or data.get("end"):
            data.setdefault("period", "custom")
        super().__init__(data)
        self.tz = tz

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        period = cleaned.get("period") or "30"
        if period != "custom":
            cleaned["first"], cleaned["last"] = last_days(int(period), self.tz)
            return cleaned
        first, last = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        error = period_error(first, last)
        if error is not None:
            raise forms.ValidationError(error)
        cleaned["first"], cleaned["last"] = first, last
        return cleaned

    def days(self) -> tuple[dt.date, dt.date]:
        """The chosen days, or the last 30 days when what was typed needs fixing."""
        if self.is_valid():
            return self.cleaned_data["first"], self.cleaned_data["last"]
        return last_days(30, self.tz)


class SectionsForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: Any = None) -> None:
        if data is not None and "sections" not in data:
            data = None
        super().__init__(data, initial={"sections": list(DEFAULT_SECTIONS)})
        labels = section_labels()
        field = self.fields["sections"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(s, labels[s]) for s in REPORT_SECTIONS]

    def chosen(self) -> tuple[str, ...]:
        if self.is_bound and self.is_valid():
            picked = set(self.cleaned_data["sections"])
            return tuple(s for s in REPORT_SECTIONS if s in picked)
        return DEFAULT_SECTIONS


def parse_sections(value: str | None) -> tuple[str, ...] | None:
    """The API's ``sections=themes,body``: known names only, None when something is unknown."""
    if not value:
        return DEFAULT_SECTIONS
    names = [s.strip() for s in value.split(",") if s.strip()]
    if any(name not in REPORT_SECTIONS for name in names):
        return None
    return tuple(s for s in REPORT_SECTIONS if s in names)
