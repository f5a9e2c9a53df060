"""``{% coaching_handover connection %}``: on a connection's page, the map a practitioner handed
to the viewer over it, if any (read through the coaching selector, so only its client sees it).
``{% coaching_summaries connection %}``: there too, the summaries of calls it sent them.
``{% coaching_suggestions connection %}``: the live suggestions made to the viewer over it; and
small filters the suggestion cards use."""

from __future__ import annotations

from typing import Any

from django import template

from tend.coaching.models import Suggestion
from tend.coaching.selectors import handover_for_connection
from tend.coaching.suggestion_selectors import practice_of, rhythm_words, suggestions_for_client
from tend.coaching.summaries import received_summaries_of
from tend.connections.selectors import display_name

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


@register.inclusion_tag("coaching/_suggestion_cards.html", takes_context=True)
def coaching_suggestions(context: Any, connection: Any) -> dict[str, Any]:
    """On a connection's page: the live suggestions its practitioner made to the viewer."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"suggestions": []}
    return {
        "suggestions": list(suggestions_for_client(viewer=user, connection=connection)),
        "next": getattr(request, "path", ""),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def suggested_practice(suggestion: Suggestion) -> Any:
    return practice_of(suggestion)


@register.filter
def suggestion_start(suggestion: Suggestion) -> str:
    from tend.coaching.homework_views import start_url

    return start_url(suggestion)


@register.filter
def suggestion_rhythm(suggestion: Suggestion) -> str:
    return rhythm_words(suggestion)


@register.filter
def person_name(user: Any) -> str:
    return display_name(user)
