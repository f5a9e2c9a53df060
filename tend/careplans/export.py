"""The care plans' section of "download your data": one's own tender places, in every plan.

Each person keeps their own words. A plan's versions hold everyone's tender places, written by
whoever proposed them; this section takes from each plan only the places that are the person's
own, from the version agreed last while they were in it: the active one, or, for a group plan
they left, the one that was active when they left. So someone who left a plan, and can no longer
open it, still has what they said there. The others' places never come along.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.careplans import document
from tend.careplans.models import Party, Version

if TYPE_CHECKING:
    from tend.accounts.models import User


@register_export_section("careplan_places")
def export_careplan_places(user: User) -> list[dict[str, Any]]:
    out = []
    for party in Party.objects.filter(user=user).order_by("joined_at", "plan_id"):
        agreed = Version.objects.filter(
            plan_id=party.plan_id,
            status__in=[Version.Status.ACTIVE, Version.Status.SUPERSEDED],
            activated_at__isnull=False,
        )
        if party.left_at is not None:
            agreed = agreed.filter(activated_at__lte=party.left_at)
        version = agreed.select_related("author__data_key").order_by("-activated_at").first()
        mine = str(user.pk)
        places = (
            [p for p in document.loads(version.content).get("places", []) if p.get("owner") == mine]
            if version is not None
            else []
        )
        out.append(
            {
                "plan": str(party.plan_id),
                "left_at": party.left_at.isoformat() if party.left_at else None,
                "version": version.number if version is not None else None,
                "places": [{k: p.get(k, "") for k in document.PLACE_FIELDS} for p in places],
            }
        )
    return out
