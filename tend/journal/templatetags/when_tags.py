"""``{% when_field %}``: "When" as quick picks plus any date and time, in the person's zone."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone

from tend.journal import when

register = template.Library()


@register.inclusion_tag("journal/_when.html")
def when_field(field: BoundField) -> dict[str, Any]:
    tz = timezone.get_current_timezone()
    now = timezone.now()
    current = field.initial if field.initial else None
    data = field.value() if field.form.is_bound else None
    typed = when.as_input(data if isinstance(data, dict) else current)
    chosen = data.get("pick") if isinstance(data, dict) else ""
    if not chosen:
        chosen = when.OTHER if isinstance(data, dict) and data.get("at") else ""
    options = when.picks(now=now, tz=tz, current=current)
    if chosen not in {o.code for o in options}:
        chosen = options[0].code
    return {
        "field": field,
        "options": options,
        "chosen": chosen,
        "typed": typed,
        "max": timezone.localtime(now, tz).strftime(when.INPUT_FORMAT),
        "zone": str(tz),
    }
