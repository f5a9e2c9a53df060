"""Reads for care plans and repairs.

A plan is visible to a party only while the viewer still has an active connection with someone
else in it (for a plan of one connection: that connection is active). The check runs in the
query, every time, so when a connection ends the other's access ends with it.

A party who has left a group plan (``Party.left_at``, see ``services.parties_leave``) is no longer
in it: they cannot read it, nobody counts them to reach it, and their tender places are taken
out of every version as the others read it (``version_document``): their words left with them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from tend.accounts.models import User
from tend.careplans import document
from tend.careplans.models import Agreement, CarePlan, Debrief, Party, PlaceTheme, Repair, Version
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
    mine = CarePlan.objects.filter(parties__user=viewer, parties__left_at=None)
    pair = Q(connection__in=active)
    # One Q, so both conditions hold for the same party row: someone still in the plan.
    group = Q(connection=None, parties__user__in=connected_ids(viewer), parties__left_at=None)
    ids = mine.filter(pair | group).values_list("id", flat=True)
    return CarePlan.objects.filter(id__in=ids).order_by("-created_at", "id")


def careplans_listed_for(*, viewer: User) -> QuerySet[CarePlan]:
    """``careplans_visible_to`` with what a list shows loaded in a fixed number of queries.

    Each plan carries its parties, its active version (with the author's key, so its content
    still decrypts lazily without a query) and that version's agreements, read back through
    ``parties_of``, ``active_version`` and ``agreements_of``; and ``waiting``, the number of
    proposals the viewer has not agreed to. Everything hangs off plans the viewer may see.
    """
    waiting = (
        _proposals_waiting_for(viewer).order_by().values("plan").annotate(n=Count("id")).values("n")
    )
    return (
        careplans_visible_to(viewer=viewer)
        .annotate(waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch("parties", queryset=_parties()),
            Prefetch(
                "versions",
                queryset=_active_versions().prefetch_related(
                    Prefetch("agreements", queryset=_agreements())
                ),
                to_attr=ACTIVE_VERSIONS,
            ),
        )
    )


def _proposals_waiting_for(viewer: User) -> QuerySet[Version]:
    """The proposals of the outer query's plan that ``viewer`` has not agreed to."""
    return Version.objects.filter(plan=OuterRef("pk"), status=Version.Status.PROPOSED).exclude(
        agreements__user=viewer
    )


def careplan_waiting_for(*, viewer: User) -> CarePlan | None:
    """The first plan (in list order) with a proposal waiting for ``viewer``, or None.

    For Home's one line: it asks only whether one waits, so it loads none of what a list shows.
    """
    return (
        careplans_visible_to(viewer=viewer).filter(Exists(_proposals_waiting_for(viewer))).first()
    )


def careplan_for(*, viewer: User, id: uuid.UUID | str) -> CarePlan:
    """One plan ``viewer`` may see, or Http404, with its party rows loaded once: a page reads
    them several times (names, who left, whose places to take out of each version)."""
    plan = (
        careplans_visible_to(viewer=viewer)
        .filter(id=_uuid(id))
        .prefetch_related(Prefetch("parties", queryset=_parties()))
        .first()
    )
    if plan is None:
        raise Http404
    return plan


# The attribute ``careplans_listed_for`` puts each plan's active version (a list of at most one) in.
ACTIVE_VERSIONS = "active_versions"


def _prefetched(instance: Any, relation: str) -> bool:
    return relation in getattr(instance, "_prefetched_objects_cache", {})


def _parties() -> QuerySet[Party]:
    return Party.objects.select_related("user").order_by("joined_at", "user_id")


def _active_versions() -> QuerySet[Version]:
    return Version.objects.filter(status=Version.Status.ACTIVE).select_related("author__data_key")


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related("user").order_by("agreed_at")


def _party_rows(plan: CarePlan) -> list[Party]:
    """Every party row of ``plan``, those who left too."""
    if _prefetched(plan, "parties"):
        return list(plan.parties.all())
    return list(_parties().filter(plan=plan))


def parties_of(plan: CarePlan) -> list[User]:
    """The people still in ``plan`` (not those who left it)."""
    return [p.user for p in _party_rows(plan) if p.left_at is None]


def left_ids(plan: CarePlan) -> set[str]:
    """The ids (as the document writes them) of the people who left ``plan``."""
    return {str(p.user_id) for p in _party_rows(plan) if p.left_at is not None}


def version_document(version: Version, *, left: set[str]) -> dict[str, Any]:
    """``version``'s plan as the people still in it read it (``left``: ``left_ids`` of its plan).

    Without the tender places of anyone who left: those are their words, and they took them with
    them. The free sections stay, since they belong to the plan, not to one person.
    """
    doc = document.loads(version.content)
    if left:
        doc["places"] = [p for p in doc.get("places", []) if str(p.get("owner")) not in left]
    return doc


def active_version(plan: CarePlan) -> Version | None:
    loaded: list[Version] | None = getattr(plan, ACTIVE_VERSIONS, None)
    if loaded is not None:
        return loaded[0] if loaded else None
    return _active_versions().filter(plan=plan).first()


def waiting_for_viewer(plan: CarePlan) -> int:
    """How many proposals wait for the viewer, on a plan loaded by ``careplans_listed_for``."""
    return int(plan.waiting)  # type: ignore[attr-defined]


def versions_of(plan: CarePlan) -> QuerySet[Version]:
    return (
        Version.objects.filter(plan=plan)
        .select_related("author__data_key", "base")
        .order_by("-created_at", "-id")
    )


def versions_listed_for(plan: CarePlan) -> QuerySet[Version]:
    """``versions_of`` with each version's agreements loaded (read back with ``agreements_of``),
    for lists of versions: the history page and the API's list."""
    return versions_of(plan).prefetch_related(Prefetch("agreements", queryset=_agreements()))


def version_for(*, plan: CarePlan, id: uuid.UUID | str) -> Version:
    version = versions_of(plan).filter(id=_uuid(id)).first()
    if version is None:
        raise Http404
    return version


def agreements_of(version: Version) -> list[Agreement]:
    if _prefetched(version, "agreements"):
        return list(version.agreements.all())
    return list(_agreements().filter(version=version))


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


def debriefs_for(*, viewer: User, repair: Repair) -> tuple[Debrief | None, Debrief | None]:
    """The viewer's own debrief of ``repair`` and the other person's, in that order.

    The other's words are shown only once the viewer has written their own: each writes first
    in their own words, not in answer to the other's. ``repair`` comes from ``repair_for``.
    """
    debriefs = list(Debrief.objects.filter(repair=repair).select_related("author__data_key"))
    mine = next((d for d in debriefs if d.author_id == viewer.id), None)
    theirs = next((d for d in debriefs if d.author_id != viewer.id), None) if mine else None
    return mine, theirs


def try_next_from_repair(*, viewer: User, plan: CarePlan, repair_id: uuid.UUID | str) -> str:
    """The viewer's own "what I'll try next" from a repair's debrief, for a section of ``plan``.

    Only the viewer's own debrief is read (never the other's words), only for a repair the
    viewer can see (404 otherwise), and only when both people of that repair are in this plan;
    "" when there is nothing to bring.
    """
    repair = repair_for(viewer=viewer, id=repair_id)
    parties = {p.id for p in parties_of(plan)}
    if not {repair.connection.user_a_id, repair.connection.user_b_id} <= parties:
        return ""
    mine = (
        Debrief.objects.filter(repair=repair, author=viewer)
        .select_related("author__data_key")
        .first()
    )
    return mine.try_next if mine is not None and mine.try_next.strip() else ""


def place_themes_of(*, viewer: User, plan: CarePlan) -> dict[str, Any]:
    """The viewer's own place → theme links in this plan (place id → Theme)."""
    return {
        link.place_id: link.theme
        for link in PlaceTheme.objects.filter(owner=viewer, plan=plan).select_related(
            "theme__owner__data_key"
        )
    }
