"""Writes for rituals, occurrences, calendar feeds and check-ins (audited, ids only)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tend.accounts.models import User
from tend.connections.models import Connection
from tend.connections.selectors import connection_other
from tend.core import audit
from tend.core.zones import known_zones
from tend.notifications.services import notify, reminders_cancel
from tend.rituals.models import (
    ActionItem,
    CalendarFeed,
    CheckIn,
    CheckInAnswer,
    OccurrenceState,
    Ritual,
)
from tend.rituals.schedule import RuleError, is_occurrence, parse_rule, rule_local, zone_for

MOVE_WINDOW = dt.timedelta(days=30)
AGENDA = ("appreciations", "went_well", "coming_up", "tender", "careplan_review")


@transaction.atomic
def ritual_create(
    *,
    actor: User,
    kind: str,
    rrule: str,
    start_date: dt.date,
    start_time: dt.time,
    connection: Connection | None = None,
    words: str = "",
    duration_minutes: int = 30,
    basis: str = Ritual.Basis.TOGETHER,
    time_zone: str | None = None,
) -> Ritual:
    """Create a ritual; ``connection`` must be one the caller loaded through a selector."""
    if kind not in Ritual.Kind.values:
        raise ValidationError({"kind": gettext("Choose a kind of ritual.")})
    if basis not in Ritual.Basis.values:
        raise ValidationError({"basis": gettext("Choose how the time applies.")})
    tz_name = time_zone or actor.time_zone
    if tz_name not in known_zones():
        raise ValidationError({"time_zone": gettext("Choose a time zone such as Europe/Berlin.")})
    if not 1 <= duration_minutes <= 1440:
        raise ValidationError(
            {"duration_minutes": gettext("A ritual lasts between 1 minute and a day.")}
        )
    rule = rule_local(rrule, tz_name)
    try:
        parsed = parse_rule(rule, dtstart=dt.datetime.combine(start_date, start_time))
    except RuleError as error:
        raise ValidationError({"rrule": str(error)}) from None
    # RFC 5545 counts DTSTART as the first occurrence even when the rule would not produce it;
    # start on the rule's own first occurrence so that calendars and Tend agree.
    first = parsed.after(dt.datetime.combine(start_date, start_time), inc=True)
    if first is None:
        raise ValidationError({"rrule": gettext("That schedule never happens.")})
    start_date, start_time = first.date(), first.time()
    ritual = Ritual(
        owner=actor,
        connection=connection,
        kind=kind,
        words=words,
        rrule=rule,
        start_date=start_date,
        start_time=start_time,
        time_zone=tz_name,
        duration_minutes=duration_minutes,
        basis=basis,
    )
    ritual.full_clean(exclude=["owner", "connection"])
    ritual.save()
    audit.record(actor=actor, action="rituals.ritual_create", target=ritual, meta={"kind": kind})
    return ritual


@transaction.atomic
def ritual_archive(*, actor: User, ritual: Ritual) -> None:
    ritual.archived_at = timezone.now()
    ritual.save(update_fields=["archived_at"])
    audit.record(actor=actor, action="rituals.ritual_archive", target=ritual)


@transaction.atomic
def occurrence_mark(
    *,
    actor: User,
    ritual: Ritual,
    original: dt.datetime,
    state: str,
    moved_to: dt.datetime | None = None,
) -> OccurrenceState | None:
    """Mark an occurrence done, skipped or moved ("" clears the mark). No streaks, no scores."""
    tz_name = zone_for(ritual, actor.time_zone)
    original = original.astimezone(zoneinfo.ZoneInfo(tz_name))
    if not is_occurrence(ritual, original, tz_name):
        raise ValidationError(gettext("That time is not one of this ritual's."))
    person = actor if ritual.basis == Ritual.Basis.EACH_LOCAL else None
    key = original.astimezone(dt.UTC)
    existing = OccurrenceState.objects.filter(ritual=ritual, original_start=key, person=person)
    if state == "":
        existing.delete()
        return None
    if state not in OccurrenceState.State.values:
        raise ValidationError(gettext("Choose done, skipped or moved."))
    if state == OccurrenceState.State.MOVED:
        if moved_to is None or abs(moved_to - original) > MOVE_WINDOW:
            raise ValidationError(gettext("Move it to a time within 30 days."))
    else:
        moved_to = None
    # Its reminder for the old time goes; the planner schedules one for a new time.
    reminders_cancel(key_prefix=f"ritual:{ritual.id}:{original.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}:")
    mark, _ = OccurrenceState.objects.update_or_create(
        ritual=ritual,
        original_start=key,
        person=person,
        defaults={"state": state, "moved_to": moved_to, "marked_by": actor},
    )
    audit.record(
        actor=actor,
        action="rituals.occurrence_mark",
        target=ritual,
        meta={"state": state},
    )
    return mark


# ---- Calendar feed -------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, actor: User, discreet: bool = False) -> str:
    """Create (or replace: the old link stops working) the calendar link; return its secret."""
    secret = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=actor,
        defaults={
            "token_hash": hashlib.sha256(secret.encode()).hexdigest(),
            "discreet": discreet,
            "created_at": timezone.now(),
        },
    )
    audit.record(actor=actor, action="rituals.feed_create", meta={"discreet": discreet})
    return secret


@transaction.atomic
def feed_set_discreet(*, actor: User, discreet: bool) -> None:
    CalendarFeed.objects.filter(user=actor).update(discreet=discreet)
    audit.record(actor=actor, action="rituals.feed_discreet", meta={"discreet": discreet})


@transaction.atomic
def feed_revoke(*, actor: User) -> int:
    deleted, _ = CalendarFeed.objects.filter(user=actor).delete()
    if deleted:
        audit.record(actor=actor, action="rituals.feed_revoke")
    return deleted


def feeds_revoke_for_safety(*, user: User) -> int:
    """Safety Check step: the calendar link stops working (a new one can be made later)."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return deleted


# ---- Check-ins -----------------------------------------------------------------------------


@transaction.atomic
def checkin_start(*, actor: User, connection: Connection) -> CheckIn:
    """Start a check-in (``connection`` comes from ``connection_for(viewer=actor)``)."""
    checkin = CheckIn.objects.create(connection=connection, started_by=actor)
    audit.record(actor=actor, action="rituals.checkin_start", target=checkin)
    other = connection_other(connection, actor)
    notify(
        recipient=other,
        code="checkin.due",
        key=f"checkin:{checkin.id}:start",
        link=f"/rituals/checkins/{checkin.id}/",
    )
    return checkin


@transaction.atomic
def checkin_answer(
    *, actor: User, checkin: CheckIn, answers: dict[str, str], action_items: list[str]
) -> CheckInAnswer:
    """Save one's private answers; when everyone has answered, reveal them together."""
    # Lock the check-in so two last answers cannot both miss the reveal.
    checkin = CheckIn.objects.select_for_update().get(id=checkin.id)
    if CheckInAnswer.objects.filter(checkin=checkin, author=actor).exists():
        raise ValidationError(
            gettext("You have already answered this check-in."), code="already_answered"
        )
    answer = CheckInAnswer(checkin=checkin, author=actor)
    for name in AGENDA:
        setattr(answer, name, answers.get(name, "").strip())
    answer.full_clean(exclude=["checkin", "author"])
    answer.save()
    for text in action_items:
        if text.strip():
            item = ActionItem(
                connection=checkin.connection, checkin=checkin, author=actor, text=text.strip()
            )
            item.full_clean(exclude=["connection", "checkin", "author"])
            item.save()
    audit.record(actor=actor, action="rituals.checkin_answer", target=checkin)
    everyone = {checkin.connection.user_a_id, checkin.connection.user_b_id}
    answered = set(
        CheckInAnswer.objects.filter(checkin=checkin).values_list("author_id", flat=True)
    )
    if everyone <= answered:
        checkin.revealed_at = timezone.now()
        checkin.save(update_fields=["revealed_at"])
        for person_id in everyone - {actor.id}:
            notify(
                recipient=User.objects.get(id=person_id),
                code="checkin.revealed",
                key=f"checkin:{checkin.id}:revealed",
                link=f"/rituals/checkins/{checkin.id}/",
            )
    return answer


@transaction.atomic
def action_item_done(*, actor: User, item: ActionItem) -> None:
    item.done_at = timezone.now()
    item.done_by = actor
    item.save(update_fields=["done_at", "done_by"])
    audit.record(actor=actor, action="rituals.action_item_done", target=item)
