"""Writes of suggestions ("practices as homework"): suggest, withdraw, decline, and the reminders.

A practitioner suggests a practice (from the library, or one of their own) to a client over an
active practitioner connection, once or on a weekly rhythm, with an optional note. The client
may set it aside ("Not for me"), with or without a reason. Nothing here counts what was missed.

Reminders go through the notifications app (``reminder_schedule``/``notify``: its delivery
respects quiet hours and renders only a content-free sentence from a code), keyed by the
suggestion and the occurrence, so there is at most one per occurrence however often the planner
runs: ``suggestion.new`` when it is made, and ``suggestion.due`` on each later day of the rhythm.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.coaching.models import SUGGESTION_NOTE_MAX, Suggestion
from tend.connections.models import Connection, Kind
from tend.core.audit import record
from tend.core.text import has_control_characters
from tend.notifications.services import notify, reminder_schedule, reminders_cancel
from tend.practices import catalogue
from tend.practices.selectors import custom_practice_for
from tend.rituals.forms import WEEKDAYS
from tend.rituals.schedule import RuleError, parse_rule, place

if TYPE_CHECKING:
    from tend.accounts.models import User

RHYTHMS = ("once", "weekly")
DAY_CODES = tuple(code for code, _label in WEEKDAYS)
# The local time of day a rhythm's occurrence (and so its one reminder) falls on.
REMINDER_TIME = dt.time(9)
PLAN_AHEAD = dt.timedelta(hours=26)
LINK = "/home/"


def _key(suggestion: Suggestion) -> str:
    return f"suggestion:{suggestion.id}:"


# --- Cleaning -------------------------------------------------------------------------------


def rhythm_rule(rhythm: str, days: Iterable[str]) -> str:
    """The RRULE of a rhythm ("" for once), validated by the rituals' own parser."""
    if rhythm not in RHYTHMS:
        raise ValidationError({"rhythm": _("Choose once or weekly.")})
    if rhythm == "once":
        return ""
    chosen = [code for code in DAY_CODES if code in set(days)]
    if not chosen:
        raise ValidationError({"days": _("Choose at least one day.")})
    rule = "FREQ=WEEKLY;BYDAY=" + ",".join(chosen)
    try:
        parse_rule(rule, dtstart=dt.datetime(2026, 1, 1, 9))  # noqa: DTZ001 - local wall time
    except RuleError as error:
        raise ValidationError({"days": str(error)}) from error
    return rule


def _clean_note(text: Any) -> str:
    if not isinstance(text, str):
        raise ValidationError({"note": _("Write the note as plain text.")})
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > SUGGESTION_NOTE_MAX:
        raise ValidationError(
            {"note": _("Please keep the note under %(n)d characters.") % {"n": SUGGESTION_NOTE_MAX}}
        )
    if has_control_characters(text):
        raise ValidationError({"note": _("Remove the invisible control characters.")})
    return text


def _practice(actor: User, practice: str) -> tuple[str, Any]:
    """``practice`` is a catalogue code or ``custom:<id>`` of one of the actor's own."""
    if practice.startswith(f"{catalogue.CUSTOM}:"):
        try:
            custom = custom_practice_for(viewer=actor, id=practice.split(":", 1)[1])
        except Http404:
            raise ValidationError({"practice": _("Choose one of your own practices.")}) from None
        return catalogue.CUSTOM, custom
    if catalogue.get(practice) is None:
        raise ValidationError({"practice": _("Choose a practice from the library.")})
    return practice, None


def _client_connection(actor: User, connection: Connection) -> None:
    if (
        connection.user_a_id != actor.pk
        or connection.kind != Kind.PRACTITIONER
        or connection.status != Connection.Status.ACTIVE
    ):
        raise Http404


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def suggestion_create(
    *,
    actor: User,
    connection: Connection,
    practice: str,
    rhythm: str = "once",
    days: Iterable[str] = (),
    note: str = "",
) -> Suggestion:
    """The practitioner suggests a practice to the client of ``connection``."""
    _client_connection(actor, connection)
    errors: dict[str, list[str]] = {}
    code, custom, rule, text = "", None, "", ""
    for check in ("practice", "rhythm", "note"):
        try:
            if check == "practice":
                code, custom = _practice(actor, practice)
            elif check == "rhythm":
                rule = rhythm_rule(rhythm, days)
            else:
                text = _clean_note(note)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    client = connection.user_b
    suggestion = Suggestion(
        practitioner=actor,
        client=client,
        connection=connection,
        practice_code=code,
        custom_practice=custom,
        rrule=rule,
        starts_on=timezone.now().astimezone(zoneinfo.ZoneInfo(client.time_zone)).date(),
        note=text,
    )
    suggestion.save()
    record(
        actor=actor,
        action="coaching.suggestion.create",
        target=suggestion,
        subject=client,
        meta={"client": connection.id, "practice": code, "rhythm": "weekly" if rule else "once"},
    )
    notify(recipient=client, code="suggestion.new", key=_key(suggestion) + "new", link=LINK)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, actor: User, suggestion: Suggestion) -> bool:
    """The practitioner takes a suggestion back; the client no longer sees it."""
    if suggestion.practitioner_id != actor.pk:
        raise Http404
    changed = Suggestion.objects.filter(
        id=suggestion.id, withdrawn_at=None, declined_at=None
    ).update(withdrawn_at=timezone.now())
    if changed:
        reminders_cancel(key_prefix=_key(suggestion))
        record(
            actor=actor,
            action="coaching.suggestion.withdraw",
            target=suggestion,
            subject=suggestion.client,
        )
    return bool(changed)


@transaction.atomic
def suggestion_decline(*, actor: User, suggestion: Suggestion, reason: str = "") -> bool:
    """The client sets a suggestion aside ("Not for me"), with a reason or none."""
    if suggestion.client_id != actor.pk:
        raise Http404
    if reason not in Suggestion.Declined.values:
        raise ValidationError({"reason": _("Choose one of the reasons, or none.")})
    changed = Suggestion.objects.filter(
        id=suggestion.id, withdrawn_at=None, declined_at=None
    ).update(declined_at=timezone.now(), declined_reason=reason)
    if changed:
        reminders_cancel(key_prefix=_key(suggestion))
        record(
            actor=actor,
            action="coaching.suggestion.decline",
            target=suggestion,
            meta={"reason": reason or "none"},
        )
    return bool(changed)


def suggestions_cancel_for(*, connection: Connection) -> int:
    """When a connection ends: its suggestions' reminders not yet sent are dropped."""
    cancelled = 0
    for suggestion_id in Suggestion.objects.filter(connection=connection).values_list(
        "id", flat=True
    ):
        cancelled += reminders_cancel(key_prefix=f"suggestion:{suggestion_id}:")
    return cancelled


# --- Reminders on a rhythm ------------------------------------------------------------------


def occurrences(
    suggestion: Suggestion, *, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """The rhythm's occurrences in [start, end), at 09:00 in the client's zone, after the first
    day (the day it was suggested already had its notice)."""
    if not suggestion.rrule:
        return []
    tz = zoneinfo.ZoneInfo(suggestion.client.time_zone)
    rule = parse_rule(
        suggestion.rrule, dtstart=dt.datetime.combine(suggestion.starts_on, REMINDER_TIME)
    )
    lo = start.astimezone(tz).replace(tzinfo=None) - dt.timedelta(days=1)
    hi = end.astimezone(tz).replace(tzinfo=None) + dt.timedelta(days=1)
    found = []
    for local in rule.xafter(lo, count=None, inc=True):
        if local > hi:
            break
        instant = place(local, tz)
        if local.date() > suggestion.starts_on and start <= instant < end:
            found.append(instant)
    return found


def plan_reminders(*, now: dt.datetime | None = None) -> int:
    """Schedule one content-free reminder per occurrence in the next 26 hours, for every live
    suggestion on a rhythm whose connection is active. Idempotent: the key names the occurrence."""
    now = now or timezone.now()
    planned = 0
    live = Suggestion.objects.filter(
        withdrawn_at=None,
        declined_at=None,
        connection__status=Connection.Status.ACTIVE,
    ).exclude(rrule="")
    for suggestion in live.select_related("client"):
        for when in occurrences(suggestion, start=now, end=now + PLAN_AHEAD):
            stamp = when.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            planned += reminder_schedule(
                recipient=suggestion.client,
                code="suggestion.due",
                key=_key(suggestion) + stamp,
                due_at=when,
                link=LINK,
            )
    return planned
