from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from tend.core.numbers import plain_number

register = template.Library()


@register.filter
def num(value: float | None) -> str:
    """A number as a person reads it: 4, 4.5 (4,5 in German), never 4.0 or 4.4999."""
    return plain_number(value)


@register.filter
def interval(value: tuple[float, float] | None) -> str:
    if value is None:
        return ""
    low, high = num(value[0]), num(value[1])
    return low if low == high else _("%(low)s to %(high)s") % {"low": low, "high": high}


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)
