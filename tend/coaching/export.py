"""The coaching section of "download your data".

A practitioner's export holds their worksheets and notes (their own words) and their client
list (names as they see them, when connected, archived or not). A client's export holds the maps
handed to them, item by item as they see them while connected, each marked brought in or not;
what they brought in is also in their journal's own sections, as their moments, themes, people
and needs. Summaries after a call are in both: the practitioner's as they wrote them (drafts
and sent), the client's as they keep them. Suggestions: those a practitioner made (with their
notes), and those live to a client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.coaching.models import TEXT_FIELDS, SessionNote, Suggestion
from tend.coaching.selectors import clients_of, handovers_for_client, worksheets_of
from tend.coaching.services import handover_items
from tend.coaching.suggestion_selectors import practice_of, suggestions_for_client
from tend.coaching.summaries import received_summaries_of, summaries_written_of
from tend.connections.selectors import display_name

if TYPE_CHECKING:
    from tend.accounts.models import User


def _suggestion(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "id": str(suggestion.id),
        "client_connection": str(suggestion.connection_id),
        "practice": suggestion.practice_code,
        "title": str(practice_of(suggestion).title),
        "rrule": suggestion.rrule,
        "note": suggestion.note,
        "created_at": suggestion.created_at.isoformat(),
        "withdrawn_at": suggestion.withdrawn_at.isoformat() if suggestion.withdrawn_at else None,
        "declined_at": suggestion.declined_at.isoformat() if suggestion.declined_at else None,
        "declined_reason": suggestion.declined_reason,
    }


@register_export_section("coaching")
def export_coaching(user: User) -> dict[str, Any]:
    return {
        "worksheets": [
            {
                "id": str(w.id),
                "call": str(w.booking_id),
                "call_start": w.booking.start.isoformat(),
                **{name: getattr(w, name) for name in TEXT_FIELDS},
                "moment_states": w.moment_states,
                "moment_region": w.moment_region,
                "moment_intensity": w.moment_intensity,
                "regions": w.regions,
                "states": w.states,
                "needs": w.needs,
                "created_at": w.created_at.isoformat(),
                "updated_at": w.updated_at.isoformat(),
            }
            for w in worksheets_of(viewer=user)
        ],
        "clients": [
            {
                "connection": str(c.connection.id),
                "name": c.name,
                "connected_at": c.since.isoformat(),
                "archived": c.archived,
            }
            for c in clients_of(viewer=user)
        ],
        "maps_handed_to_me": [
            {
                "id": str(h.id),
                "from": display_name(h.invitation.inviter),
                "items": [
                    {"key": key, "kind": kind, "words": words, "brought": key in h.brought}
                    for key, kind, words in handover_items(h.worksheet)
                ],
            }
            for h in handovers_for_client(viewer=user)
        ],
        # Suggestions: those one made as a practitioner, and the live ones made to one.
        "suggestions_made": [
            _suggestion(s)
            for s in Suggestion.objects.filter(practitioner=user).select_related(
                "practitioner__data_key", "custom_practice__author__data_key"
            )
        ],
        "suggestions_to_me": [_suggestion(s) for s in suggestions_for_client(viewer=user)],
        # Every note of the practitioner's, also those about a client who deleted their account.
        "notes": [
            {
                "id": str(n.id),
                "client_connection": str(n.connection_id) if n.connection_id else None,
                "call": str(n.booking_id) if n.booking_id else None,
                "text": n.text,
                "created_at": n.created_at.isoformat(),
                "updated_at": n.updated_at.isoformat(),
            }
            for n in SessionNote.objects.filter(practitioner=user).select_related(
                "practitioner__data_key"
            )
        ],
        "summaries_written": [
            {
                "id": str(s.id),
                "call": str(s.booking_id),
                "client_connection": str(s.connection_id) if s.connection_id else None,
                "text": s.text,
                "created_at": s.created_at.isoformat(),
                "sent_at": s.sent_at.isoformat() if s.sent_at else None,
            }
            for s in summaries_written_of(viewer=user)
        ],
        "summaries_from_my_calls": [
            {
                "id": str(r.id),
                "from": r.sender_name,
                "call_start": r.call_start.isoformat(),
                "text": r.text,
                "received_at": r.created_at.isoformat(),
            }
            for r in received_summaries_of(viewer=user)
        ],
    }
