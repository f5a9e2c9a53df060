"""The coaching section of "download your data".

A practitioner's export holds their worksheets and notes (their own words) and their client
list (names as they see them, when connected, archived or not). A client's export holds nothing
here: what they brought in from a handed-over map is in their journal's own sections, as their
moments, themes, people and needs; the rest of the worksheet is the practitioner's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.coaching.models import SessionNote
from tend.coaching.selectors import clients_of, worksheets_of

if TYPE_CHECKING:
    from tend.accounts.models import User

TEXT = (
    "moment_cue",
    "cues",
    "themes",
    "body_notes",
    "pattern_notes",
    "story",
    "part",
    "own_needs",
    "people",
    "helps",
)


@register_export_section("coaching")
def export_coaching(user: User) -> dict[str, Any]:
    return {
        "worksheets": [
            {
                "id": str(w.id),
                "call": str(w.booking_id),
                "call_start": w.booking.start.isoformat(),
                **{name: getattr(w, name) for name in TEXT},
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
    }
