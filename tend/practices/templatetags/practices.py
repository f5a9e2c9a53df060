from __future__ import annotations

from django import template

from tend.journal import vocabulary
from tend.practices import catalogue

register = template.Library()


@register.filter
def practice_title(code: str) -> str:
    return catalogue.title(code)


@register.filter
def state_label(code: str) -> str:
    return vocabulary.label("states", code)


@register.filter
def minutes(seconds: int) -> int:
    return max(1, round((seconds or 0) / 60))
