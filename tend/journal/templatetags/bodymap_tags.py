"""``{% body_map %}``: the body map, tappable in a form or shaded on a moment's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from tend.journal import bodymap

register = template.Library()


@register.inclusion_tag("journal/_body_map.html")
def body_map(source: Any, mode: str = "edit") -> dict[str, Any]:
    """``source`` is the form's ``body`` field (edit) or a moment's ``body`` list (show)."""
    if isinstance(source, BoundField):
        value = source.value()
        if value is None:  # not posted (yet): what the moment has
            value = source.initial
        return bodymap.context(value, mode=mode, errors=source.errors)
    return bodymap.context(source, mode=mode)
