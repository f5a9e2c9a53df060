"""Dates and times in the reader's language: Tend's few date formats, each translatable.

Django names a month or a weekday in the active language, but the order and the words around
them differ: "5 December 2026" is "5. Dezember 2026" in German and "5 de diciembre de 2026" in
Spanish. Each format Tend uses has a name here and a pattern that translators adapt (the
patterns are those of Django's ``date`` filter). Templates write ``{{ value|when:"short_date" }}``
(a built-in filter, tend/core/templatetags/tend_dates.py); Python calls ``when(value, name)``.
Numbers need nothing: Django formats them for the active language (USE_L10N is always on).
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# Translators: each is a pattern of Django's `date` filter
# (https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date). Keep its letters — j day,
# F month, M short month, Y year, l weekday, D short weekday, H:i time — and reorder and punctuate
# them as your language writes a date ("j. F Y"); put a backslash before a literal letter
# ("j \d\e F \d\e Y").
FORMATS: dict[str, Promise] = {
    # Translators: the date pattern of "5 December 2026". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "date": pgettext_lazy("date format", "j F Y"),
    # Translators: the date pattern of "5 December 2026, 20:30". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "datetime": pgettext_lazy("date format", "j F Y, H:i"),
    # Translators: the date pattern of "5 Dec 2026". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "short_date": pgettext_lazy("date format", "j M Y"),
    # Translators: the date pattern of "5 Dec 2026, 20:30". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "short_datetime": pgettext_lazy("date format", "j M Y, H:i"),
    # Translators: the date pattern of "5 December". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "day_month": pgettext_lazy("date format", "j F"),
    # Translators: the date pattern of "5 Dec". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "short_day_month": pgettext_lazy("date format", "j M"),
    # Translators: the date pattern of "5 Dec, 20:30". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "short_day_month_time": pgettext_lazy("date format", "j M, H:i"),
    # Translators: the date pattern of "Saturday 5 December". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "weekday_day_month": pgettext_lazy("date format", "l j F"),
    # Translators: the date pattern of "Saturday 5 December, 20:30". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "weekday_day_month_time": pgettext_lazy("date format", "l j F, H:i"),
    # Translators: the date pattern of "Saturday 5 December 2026". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "weekday_date": pgettext_lazy("date format", "l j F Y"),
    # Translators: the date pattern of "Saturday, 5 December 2026". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "weekday_date_heading": pgettext_lazy("date format", "l, j F Y"),
    # Translators: the date pattern of "Saturday, 5 December 2026, 20:30". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "weekday_datetime": pgettext_lazy("date format", "l, j F Y, H:i"),
    # Translators: the date pattern of "Sat 5 Dec". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "short_weekday_day_month": pgettext_lazy("date format", "D j M"),
    # Translators: the date pattern of "Sat 5 Dec, 20:30". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "short_weekday_day_month_time": pgettext_lazy("date format", "D j M, H:i"),
    # Translators: the date pattern of "Sat 5 Dec 2026, 20:30". Keep its letters (j day,
    # F month, M short month, Y year, l or D weekday, H:i time); reorder and punctuate them.
    "short_weekday_datetime": pgettext_lazy("date format", "D j M Y, H:i"),
}


def when(value: dt.date | dt.datetime | None, name: str) -> str:
    """``value`` in the named format of the active language; aware times in their own zone
    (convert them first: ``timezone.localtime``)."""
    if value is None:
        return ""
    return formats.date_format(value, str(FORMATS[name]))
