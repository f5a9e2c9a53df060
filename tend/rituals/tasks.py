"""Periodic work for rituals: schedule each participant's reminders a day ahead."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.utils import timezone

from tend.core.tasks import on_tick
from tend.notifications.services import reminder_schedule
from tend.rituals.models import OccurrenceState, Ritual
from tend.rituals.schedule import MARKS_REACH, marks_person, occurrences
from tend.rituals.selectors import participants

LEAD = dt.timedelta(minutes=30)
PLAN_AHEAD = dt.timedelta(hours=26)
CODES = {
    Ritual.Kind.CHECKIN: "checkin.due",
    Ritual.Kind.AFFIRMATION: "affirmation.due",
    Ritual.Kind.TOUCHPOINT: "touchpoint.due",
    Ritual.Kind.REPAIR: "ritual.due",
}


def reminder_key(ritual: Ritual, original_key: str) -> str:
    return f"ritual:{ritual.id}:{original_key}"


def plan_reminders(*, now: dt.datetime | None = None) -> int:
    """Schedule a reminder 30 minutes before each occurrence in the next 26 hours.

    Idempotent (one reminder per person, ritual, occurrence and start time), so every worker
    may run it; a moved occurrence gets a reminder for its new time, and marking it skipped or
    moved cancels the one for the old time.
    """
    now = now or timezone.now()
    planned = 0
    rituals = Ritual.objects.filter(archived_at=None).select_related(
        "owner", "connection__user_a", "connection__user_b"
    )
    # The marks (skipped, moved, done) of every ritual at once, by ritual and person: one query,
    # not one per ritual and participant. Only those ``occurrences`` can use: it looks 60 days
    # either side of the window for occurrences moved into it.
    marks: dict[tuple[uuid.UUID, uuid.UUID | None], list[OccurrenceState]] = defaultdict(list)
    for mark in OccurrenceState.objects.filter(
        ritual__archived_at=None,
        original_start__gte=now - MARKS_REACH,
        original_start__lt=now + PLAN_AHEAD + MARKS_REACH,
    ):
        marks[(mark.ritual_id, mark.person_id)].append(mark)
    for ritual in rituals:
        if ritual.connection is not None and ritual.connection.status != "active":
            continue
        for person in participants(ritual):
            whose = marks_person(ritual, person.id)
            for occurrence in occurrences(
                ritual,
                start=now,
                end=now + PLAN_AHEAD,
                participant_tz=person.time_zone,
                participant_id=person.id,
                marks=marks.get((ritual.id, whose), []),
            ):
                if occurrence.state == "done":
                    continue
                start = occurrence.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
                planned += reminder_schedule(
                    recipient=person,
                    code=CODES[Ritual.Kind(ritual.kind)],
                    key=f"{reminder_key(ritual, occurrence.key)}:{start}",
                    due_at=max(occurrence.start - LEAD, now),
                    link=f"/rituals/{ritual.id}/",
                )
    return planned


@on_tick
def plan_ritual_reminders() -> None:
    # Planning looks 26 hours ahead, so every ten minutes is plenty.
    if timezone.now().minute % 10 == 0:
        plan_reminders()
