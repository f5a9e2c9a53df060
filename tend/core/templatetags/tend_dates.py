"""``{{ value|when:"short_date" }}``: a date in the reader's language (tend/core/dates.py).

A built-in filter (settings.TEMPLATES), so templates need no ``{% load %}``.
"""

from __future__ import annotations

import datetime as dt

from django import template

from tend.core.dates import when as format_when

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def when(value: object, name: str) -> str:
    """``value`` (a date or time; anything else shows nothing) in the named format."""
    if not isinstance(value, dt.date):
        return ""
    return format_when(value, name)
