"""The journal's sections of "download your data": every moment, and the person's own words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.journal.schemas import MomentOut
from tend.journal.selectors import moments_of, own_vocabulary
from tend.journal.themes import themes_of

if TYPE_CHECKING:
    from tend.accounts.models import User


@register_export_section("moments")
def export_moments(user: User) -> list[dict[str, Any]]:
    return [
        MomentOut.model_validate(moment, from_attributes=True).model_dump(mode="json")
        for moment in moments_of(viewer=user)
    ]


@register_export_section("own_vocabulary")
def export_own_vocabulary(user: User) -> list[dict[str, Any]]:
    return [
        {
            "code": entry.code,
            "kind": entry.kind,
            "label": entry.label,
            "created_at": entry.created_at.isoformat(),
        }
        for entry in own_vocabulary(owner=user)
    ]


@register_export_section("themes")
def export_themes(user: User) -> list[dict[str, Any]]:
    """Each theme by id (moments name it in their ``theme`` field), archived ones included."""
    return [
        {
            "id": str(theme.id),
            "name": theme.name,
            "archived": theme.archived,
            "created_at": theme.created_at.isoformat(),
        }
        for theme in themes_of(viewer=user)
    ]
