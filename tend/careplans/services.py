"""Writes for care plans (proposals, agreements, review) and repairs. Audited with ids only."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from tend.accounts.models import User
from tend.careplans import document
from tend.careplans.models import (
    Agreement,
    CarePlan,
    Debrief,
    Party,
    PlaceTheme,
    Repair,
    Version,
)
from tend.careplans.selectors import (
    active_version,
    careplans_visible_to,
    left_ids,
    parties_of,
    version_document,
    versions_of,
)
from tend.connections.models import Connection
from tend.connections.selectors import connection_other
from tend.core import audit
from tend.journal.themes import theme_for
from tend.notifications.services import notify, reminder_schedule, reminders_cancel

MAX_PAUSE = dt.timedelta(hours=24)
SAME_AS_ACTIVE = gettext_lazy("This is the same as the plan you already agreed on.")


class PlanUnchanged(ValidationError):
    """A proposal identical to the active version: there is nothing to agree on."""


def _link(plan: CarePlan, version: Version | None = None) -> str:
    if version is None:
        return f"/careplans/{plan.id}/"
    return f"/careplans/{plan.id}/versions/{version.id}/"


def _tell_others(plan: CarePlan, actor: User, code: str, key: str, link: str) -> None:
    for person in parties_of(plan):
        if person.id != actor.id:
            notify(recipient=person, code=code, key=key, link=link)


@transaction.atomic
def careplan_create(*, actor: User, connections: list[Connection]) -> CarePlan:
    """A plan with the people of ``connections`` (loaded via ``connection_for(viewer=actor)``).

    One connection makes a plan of that connection; several make a group plan.
    """
    if not connections:
        raise ValidationError(gettext("Choose at least one person to make a care plan with."))
    plan = CarePlan.objects.create(
        connection=connections[0] if len(connections) == 1 else None, created_by=actor
    )
    people = {actor.id: actor}
    for connection in connections:
        other = connection_other(connection, actor)
        people[other.id] = other
    for person in people.values():
        Party.objects.create(plan=plan, user=person)
    audit.record(
        actor=actor, action="careplans.plan_create", target=plan, meta={"parties": len(people)}
    )
    return plan


def _party_ids(plan: CarePlan) -> set[str]:
    """The people still in ``plan``: only their tender places can be proposed."""
    return {str(u) for u in plan.parties.filter(left_at=None).values_list("user_id", flat=True)}


@transaction.atomic
def parties_leave(
    *, ended_by: User, connections: list[Connection], safety_check: bool = False
) -> int:
    """``ended_by`` ended ``connections``: in every group plan that ``ended_by`` and the person
    on the other side of one of them are both still in, one of the two leaves. Returns how many
    left.

    Normally the one ended with leaves, and the plan goes on for ``ended_by`` and the rest. A
    Safety Check ends every connection of ``ended_by`` at once; were everyone ended with to leave,
    no plan would go on for anyone, so ``ended_by`` leaves those plans instead and they go on for
    the others. Either way the two share no plan any more, so neither reads the other's words.

    Leaving means: they can no longer read the plan (``careplans_visible_to``), its versions or
    its proposals; they no longer count towards reaching it, agreeing to it or its reminders; and
    their tender places are taken out of every version as the others read it
    (``selectors.version_document``): their words leave with them. Open proposals close as
    outdated, since they were written with them in the plan. A plan of one connection needs
    nothing here: it ends with its connection, for both.
    """
    others = {c.user_b_id if c.user_a_id == ended_by.pk else c.user_a_id for c in connections}
    shared = set(
        Party.objects.filter(user_id__in=others, left_at=None, plan__connection=None).values_list(
            "plan_id", flat=True
        )
    ) & set(
        Party.objects.filter(user=ended_by, left_at=None, plan__connection=None).values_list(
            "plan_id", flat=True
        )
    )
    if not shared:
        return 0
    who = {ended_by.pk} if safety_check else others
    leaving = Party.objects.filter(plan_id__in=shared, user_id__in=who, left_at=None)
    rows = list(leaving.values_list("plan_id", "user_id"))
    left = leaving.update(left_at=timezone.now())
    outdated = Version.objects.filter(plan_id__in=shared, status=Version.Status.PROPOSED).update(
        status=Version.Status.OUTDATED
    )
    for person in User.objects.filter(id__in={user_id for _plan, user_id in rows}):
        for plan_id in {plan_id for plan_id, user_id in rows if user_id == person.pk}:
            reminders_cancel(key_prefix=f"careplan:{plan_id}:", recipient=person)
    audit.record(
        actor=ended_by,
        action="careplans.parties_left",
        meta={"plans": len(shared), "parties": left, "proposals_outdated": outdated},
    )
    return left


@transaction.atomic
def proposal_create(*, actor: User, plan: CarePlan, content: Any) -> Version:
    """Propose the whole plan as ``content``; the proposer agrees to their own proposal."""
    doc = document.clean(content, party_ids=_party_ids(plan))
    base = active_version(plan)
    if base is not None and version_document(base, left=left_ids(plan)) == doc:
        raise PlanUnchanged(SAME_AS_ACTIVE)
    version = Version(plan=plan, author=actor, base=base, content=document.dumps(doc))
    version.save()
    Agreement.objects.create(version=version, user=actor)
    audit.record(actor=actor, action="careplans.propose", target=version, meta={"plan": plan.id})
    _tell_others(
        plan, actor, "careplan.proposal", f"careplan:{version.id}:proposed", _link(plan, version)
    )
    _activate_if_agreed(plan=plan, version=version, actor=actor)
    return version


def _activate_if_agreed(*, plan: CarePlan, version: Version, actor: User) -> bool:
    agreed = set(
        Agreement.objects.filter(version=version, withdrawn_at=None).values_list(
            "user_id", flat=True
        )
    )
    if not set(plan.parties.filter(left_at=None).values_list("user_id", flat=True)) <= agreed:
        return False
    now = timezone.now()
    Version.objects.filter(plan=plan, status=Version.Status.ACTIVE).update(
        status=Version.Status.SUPERSEDED
    )
    number = (Version.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    Version.objects.filter(id=version.id).update(
        status=Version.Status.ACTIVE, number=number, activated_at=now
    )
    # Proposals made against the version that was active are now out of date.
    Version.objects.filter(plan=plan, status=Version.Status.PROPOSED).exclude(id=version.id).update(
        status=Version.Status.OUTDATED
    )
    CarePlan.objects.filter(id=plan.id).update(under_review_since=None)
    version.refresh_from_db()
    audit.record(actor=actor, action="careplans.activate", target=version, meta={"number": number})
    for person in parties_of(plan):
        notify(
            recipient=person,
            code="careplan.active",
            key=f"careplan:{version.id}:active",
            link=_link(plan),
        )
    return True


@transaction.atomic
def agreement_give(*, actor: User, plan: CarePlan, version: Version) -> bool:
    """Agree to a proposal; return whether that made it the active version."""
    # Lock the plan: two last agreements at once must not both miss (or both do) activation.
    CarePlan.objects.select_for_update().get(id=plan.id)
    version.refresh_from_db()
    if version.status != Version.Status.PROPOSED:
        raise ValidationError(gettext("This proposal is no longer open."))
    Agreement.objects.update_or_create(
        version=version, user=actor, defaults={"agreed_at": timezone.now(), "withdrawn_at": None}
    )
    audit.record(actor=actor, action="careplans.agree", target=version, meta={"plan": plan.id})
    return _activate_if_agreed(plan=plan, version=version, actor=actor)


@transaction.atomic
def proposal_decline(*, actor: User, plan: CarePlan, version: Version) -> None:
    version.refresh_from_db()
    if version.status != Version.Status.PROPOSED:
        raise ValidationError(gettext("This proposal is no longer open."))
    version.status = Version.Status.DECLINED
    version.save(update_fields=["status"])
    audit.record(actor=actor, action="careplans.decline", target=version, meta={"plan": plan.id})


@transaction.atomic
def agreement_withdraw(*, actor: User, plan: CarePlan) -> None:
    """Withdraw one's agreement from the active version: the plan is then under review."""
    version = active_version(plan)
    if version is None:
        raise ValidationError(gettext("There is no agreed version yet."))
    now = timezone.now()
    Agreement.objects.filter(version=version, user=actor, withdrawn_at=None).update(
        withdrawn_at=now
    )
    CarePlan.objects.filter(id=plan.id, under_review_since=None).update(under_review_since=now)
    audit.record(actor=actor, action="careplans.withdraw", target=version, meta={"plan": plan.id})
    _tell_others(
        plan,
        actor,
        "careplan.under_review",
        f"careplan:{version.id}:review:{now:%Y%m%d%H%M%S}",
        _link(plan),
    )


@transaction.atomic
def review_date_set(*, actor: User, plan: CarePlan, review_on: dt.date | None) -> None:
    plan.review_on = review_on
    plan.save(update_fields=["review_on"])
    audit.record(actor=actor, action="careplans.review_date", target=plan)


def plan_review_reminders(*, today: dt.date | None = None) -> int:
    """A gentle reminder at 10:00 local time on each plan's review date, for every party."""
    count = 0
    for plan in CarePlan.objects.exclude(review_on=None).filter(
        review_on__gte=(today or timezone.now().date()) - dt.timedelta(days=1),
        review_on__lte=(today or timezone.now().date()) + dt.timedelta(days=1),
    ):
        assert plan.review_on is not None
        for person in parties_of(plan):
            at = dt.datetime.combine(plan.review_on, dt.time(10), tzinfo=person.tz)
            count += reminder_schedule(
                recipient=person,
                code="careplan.review_due",
                key=f"careplan:{plan.id}:review_on:{plan.review_on:%Y%m%d}",
                due_at=at,
                link=_link(plan),
            )
    return count


# ---- Repair --------------------------------------------------------------------------------


@transaction.atomic
def repair_pause(*, actor: User, connection: Connection, minutes: int) -> Repair:
    """Call a pause with a time to come back; the other gets a content-free notice."""
    if not 5 <= minutes <= MAX_PAUSE.total_seconds() // 60:
        raise ValidationError(gettext("Choose a time between 5 minutes and a day."))
    now = timezone.now()
    repair = Repair.objects.create(
        connection=connection,
        called_by=actor,
        paused_at=now,
        return_at=now + dt.timedelta(minutes=minutes),
    )
    audit.record(
        actor=actor, action="careplans.repair_pause", target=repair, meta={"minutes": minutes}
    )
    link = f"/careplans/repair/{repair.id}/"
    for person in (connection.user_a, connection.user_b):
        if person.id != actor.id:
            notify(
                recipient=person, code="repair.pause", key=f"repair:{repair.id}:pause", link=link
            )
        reminder_schedule(
            recipient=person,
            code="repair.return",
            key=f"repair:{repair.id}:return",
            due_at=repair.return_at,
            link=link,
        )
    return repair


@transaction.atomic
def repair_return(*, actor: User, repair: Repair) -> None:
    if repair.returned_at is None:
        repair.returned_at = timezone.now()
        repair.save(update_fields=["returned_at"])
        audit.record(actor=actor, action="careplans.repair_return", target=repair)


@transaction.atomic
def debrief_write(
    *, actor: User, repair: Repair, what_happened: str, my_part: str, try_next: str
) -> Debrief:
    debrief, _ = Debrief.objects.get_or_create(repair=repair, author=actor)
    debrief.what_happened = what_happened.strip()
    debrief.my_part = my_part.strip()
    debrief.try_next = try_next.strip()
    debrief.full_clean(exclude=["repair", "author"])
    debrief.save()
    repair_return(actor=actor, repair=repair)
    audit.record(actor=actor, action="careplans.debrief", target=repair)
    return debrief


def _own_open_place_ids(*, actor: User, plan: CarePlan) -> set[str]:
    """The ids of ``actor``'s tender places in the active version and in open proposals."""
    ids: set[str] = set()
    for version in versions_of(plan).filter(
        status__in=[Version.Status.ACTIVE, Version.Status.PROPOSED]
    ):
        ids.update(
            str(place.get("id", ""))
            for place in document.loads(version.content).get("places", [])
            if place.get("owner") == str(actor.id)
        )
    return ids


@transaction.atomic
def place_themes_set(
    *, actor: User, plan: CarePlan, links: Mapping[str, uuid.UUID | str | None]
) -> int:
    """Link (or, with None, unlink) ``actor``'s own tender places to ``actor``'s own themes.

    ``links`` maps place ids to theme ids; places it leaves out keep their link. The links are
    private to ``actor``: another person's theme, like a plan the actor cannot see, is a 404,
    and only a tender place of the actor's own (in the active version or an open proposal)
    can be linked. Returns how many links changed.
    """
    if not careplans_visible_to(viewer=actor).filter(id=plan.id).exists():
        raise Http404
    existing = {
        link.place_id: link
        for link in PlaceTheme.objects.filter(owner=actor, plan=plan, place_id__in=list(links))
    }
    wanted = {place_id: theme_id for place_id, theme_id in links.items() if theme_id}
    if wanted and not set(wanted) <= _own_open_place_ids(actor=actor, plan=plan):
        raise ValidationError(gettext("Only your own tender places can be linked to your themes."))
    linked = unlinked = 0
    for place_id, theme_id in links.items():
        link = existing.get(place_id)
        if not theme_id:
            if link is not None:
                link.delete()
                unlinked += 1
            continue
        theme = theme_for(viewer=actor, id=theme_id)  # 404 for anything not actor's own
        if link is None:
            PlaceTheme.objects.create(owner=actor, plan=plan, place_id=place_id, theme=theme)
        elif link.theme_id != theme.id:
            link.theme = theme
            link.save(update_fields=["theme"])
        else:
            continue
        linked += 1
    if linked or unlinked:
        audit.record(
            actor=actor,
            action="careplans.place_themes",
            target=plan,
            meta={"linked": linked, "unlinked": unlinked},
        )
    return linked + unlinked


@transaction.atomic
def careplan_edit(
    *, actor: User, plan: CarePlan, content: Any, links: Mapping[str, uuid.UUID | str | None]
) -> Version | None:
    """Save what the propose form sent, all or nothing: a proposal of ``content`` when it differs
    from the active version, and ``actor``'s private theme ``links`` (see ``place_themes_set``).

    Returns the proposal, or None when only links changed. When nothing changed at all it
    raises ``PlanUnchanged``, as ``proposal_create`` does. Links are keyed by place id, so a new
    place's links need its id given in ``content``.
    """
    try:
        version: Version | None = proposal_create(actor=actor, plan=plan, content=content)
    except PlanUnchanged:
        version = None
    changed = place_themes_set(actor=actor, plan=plan, links=links)
    if version is None and not changed:
        raise PlanUnchanged(SAME_AS_ACTIVE)
    return version
