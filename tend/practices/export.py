"""The practices' sections of "download your data": one's own practices and every session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.practices.schemas import OwnPracticeOut, SessionOut
from tend.practices.selectors import custom_practices_of, sessions_of

if TYPE_CHECKING:
    from tend.accounts.models import User


@register_export_section("own_practices")
def export_own_practices(user: User) -> list[dict[str, Any]]:
    return [
        OwnPracticeOut.model_validate(p, from_attributes=True).model_dump(mode="json")
        for p in custom_practices_of(viewer=user)
    ]


@register_export_section("practice_sessions")
def export_practice_sessions(user: User) -> list[dict[str, Any]]:
    return [
        SessionOut.model_validate(s, from_attributes=True).model_dump(mode="json")
        for s in sessions_of(viewer=user)
    ]
