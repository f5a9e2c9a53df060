"""``{% coaching_handover connection %}``: on a connection's page, the map a practitioner handed
to the viewer over it, if any (read through the coaching selector, so only its client sees it).
``{% coaching_summaries connection %}``: there too, the summaries of calls it sent them."""

from __future__ import annotations

from typing import Any

from django import template

from tend.coaching.selectors import handover_for_connection
from tend.coaching.summaries import received_summaries_of

register = template.Library()


@register.inclusion_tag("coaching/_handover_card.html", takes_context=True)
def coaching_handover(context: Any, connection: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"handover": None}
    return {"handover": handover_for_connection(viewer=user, connection=connection)}


@register.inclusion_tag("coaching/_summaries_card.html", takes_context=True)
def coaching_summaries(context: Any, connection: Any) -> dict[str, Any]:
    """On a connection's page, the summaries of calls its practitioner sent the viewer."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or connection.user_b_id != user.pk:
        return {"count": 0}
    return {
        "count": received_summaries_of(viewer=user).filter(sender_id=connection.user_a_id).count()
    }
