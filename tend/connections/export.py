"""The connections section of "download your data": the person's own side only.

Their connections (with their own private labels), what they share (scope, ids, dates, their
own framing notes) and their invitations. Never anything the other person wrote or shared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.connections.models import Connection, Invitation, Share
from tend.connections.selectors import connection_other, display_name, labels_of

if TYPE_CHECKING:
    from tend.accounts.models import User


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


@register_export_section("connections")
def export_connections(user: User) -> dict[str, Any]:
    labels = labels_of(viewer=user)
    connections = (
        Connection.objects.filter(user_a=user) | Connection.objects.filter(user_b=user)
    ).select_related("user_a", "user_b")
    shares = Share.objects.filter(owner=user).select_related("owner__data_key")
    return {
        "connections": [
            {
                "id": str(c.id),
                "kind": c.kind,
                "with": display_name(connection_other(c, user)),
                "my_label": labels.get(c.id, ""),
                "status": c.status,
                "created_at": _iso(c.created_at),
                "ended_at": _iso(c.ended_at),
            }
            for c in connections
        ],
        "shares_i_made": [
            {
                "id": str(s.id),
                "connection": str(s.connection_id),
                "scope": s.scope,
                "moment": str(s.moment_id) if s.moment_id else None,
                "theme": str(s.theme_id) if s.theme_id else None,
                "note": s.note,
                "created_at": _iso(s.created_at),
                "expires_at": _iso(s.expires_at),
                "revoked_at": _iso(s.revoked_at),
            }
            for s in shares
        ],
        "invitations": [
            {
                "id": str(i.id),
                "kind": i.kind,
                "email": i.email,
                "created_at": _iso(i.created_at),
                "expires_at": _iso(i.expires_at),
                "accepted_at": _iso(i.accepted_at),
                "revoked_at": _iso(i.revoked_at),
            }
            for i in Invitation.objects.filter(inviter=user)
        ],
    }
