"""The journal's section of "download your data": every moment, as the API shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.journal.schemas import MomentOut
from tend.journal.selectors import moments_of

if TYPE_CHECKING:
    from tend.accounts.models import User


@register_export_section("moments")
def export_moments(user: User) -> list[dict[str, Any]]:
    return [
        MomentOut.model_validate(moment, from_attributes=True).model_dump(mode="json")
        for moment in moments_of(viewer=user)
    ]
