"""Reads for care plans and repairs.

A plan is visible to a party only while the viewer still has an active connection with someone
else in it (for a plan of one connection: that connection is active). The check runs in the
query, every time, so when a connection ends the other's access ends with it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from tend.accounts.models import User
from tend.careplans.models import Agreement, CarePlan, Repair, Version
from tend.connections.models import Connection
from tend.connections.selectors import connections_of


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def connected_ids(viewer: User) -> set[uuid.UUID]:
    ids: set[uuid.UUID] = set()
    for a, b in connections_of(viewer=viewer).values_list("user_a_id", "user_b_id"):
        ids.update((a, b))
    ids.discard(viewer.id)
    return ids


def careplans_visible_to(*, viewer: User) -> QuerySet[CarePlan]:
    if not viewer.is_authenticated:
        return CarePlan.objects.none()
    active = connections_of(viewer=viewer).values_list("id", flat=True)
    mine = CarePlan.objects.filter(parties__user=viewer)
    pair = Q(connection__in=active)
    group = Q(connection=None, parties__user__in=connected_ids(viewer))
    ids = mine.filter(pair | group).values_list("id", flat=True)
    return CarePlan.objects.filter(id__in=ids).order_by("-created_at", "id")


def careplan_for(*, viewer: User, id: uuid.UUID | str) -> CarePlan:
    plan = careplans_visible_to(viewer=viewer).filter(id=_uuid(id)).first()
    if plan is None:
        raise Http404
    return plan


def parties_of(plan: CarePlan) -> list[User]:
    return [p.user for p in plan.parties.select_related("user").order_by("joined_at", "user_id")]


def active_version(plan: CarePlan) -> Version | None:
    return (
        Version.objects.filter(plan=plan, status=Version.Status.ACTIVE)
        .select_related("author__data_key")
        .first()
    )


def versions_of(plan: CarePlan) -> QuerySet[Version]:
    return (
        Version.objects.filter(plan=plan)
        .select_related("author__data_key", "base")
        .order_by("-created_at", "-id")
    )


def version_for(*, plan: CarePlan, id: uuid.UUID | str) -> Version:
    version = versions_of(plan).filter(id=_uuid(id)).first()
    if version is None:
        raise Http404
    return version


def agreements_of(version: Version) -> list[Agreement]:
    return list(version.agreements.select_related("user").order_by("agreed_at"))


# ---- Repair --------------------------------------------------------------------------------


def repairs_visible_to(*, viewer: User, connection: Connection) -> QuerySet[Repair]:
    """The repair log of one of the viewer's active connections (caller loaded it via
    ``connection_for``)."""
    return Repair.objects.filter(
        connection=connection, connection__in=connections_of(viewer=viewer).values("id")
    ).order_by("-paused_at")


def repair_for(*, viewer: User, id: uuid.UUID | str) -> Repair:
    repair = (
        Repair.objects.filter(
            id=_uuid(id), connection__in=connections_of(viewer=viewer).values("id")
        )
        .select_related("connection__user_a", "connection__user_b")
        .first()
    )
    if repair is None:
        raise Http404
    return repair


def place_themes_of(*, viewer: User, plan: CarePlan) -> dict[str, Any]:
    """The viewer's own place → theme links in this plan (place id → Theme)."""
    from tend.careplans.models import PlaceTheme

    return {
        link.place_id: link.theme
        for link in PlaceTheme.objects.filter(owner=viewer, plan=plan).select_related(
            "theme__owner__data_key"
        )
    }
