"""Numbers as a person reads them, in their language: 4, 4.5 (4,5 in German), never 4.0."""

from __future__ import annotations

from django.utils import formats

DASH = "\u2013"  # shown for "no value"


def plain_number(value: float | None) -> str:
    """``value`` to one decimal place at most, with the active language's decimal sign."""
    if value is None:
        return DASH
    rounded = round(float(value), 1)
    if rounded == int(rounded):
        return formats.number_format(int(rounded))
    return formats.number_format(rounded, 1)
