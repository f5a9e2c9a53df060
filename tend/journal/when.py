"""When a moment happened: quick picks ("a few minutes ago", "this morning") or any local time.

Everything is read in the person's own time zone (activated per request by
``tend.accounts.middleware.TimezoneMiddleware``). A wall-clock time that never happened there
(the hour skipped when clocks go forward) is refused with a message that says so; a time that
happened twice (the hour repeated when clocks go back) is read as the first of the two, which
is what a person remembering "half past two" most often means.

The form posts ``occurred_at-pick`` (a pick code) and ``occurred_at`` (a ``datetime-local``
value). Without a pick, a typed time that differs from the one shown counts as "another time",
so the field also works for someone who only types.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.core import dates

INPUT_FORMAT = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = (INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
MINUTES_AGO = dt.timedelta(minutes=10)
MORNING = dt.time(9, 0)
EVENING = dt.time(20, 0)

KEEP, NOW, MINUTES, MORNING_PICK, EVENING_PICK, OTHER = (
    "keep",
    "now",
    "minutes",
    "morning",
    "evening",
    "other",
)
PICKS = (KEEP, NOW, MINUTES, MORNING_PICK, EVENING_PICK, OTHER)


class NonexistentTime(ValueError):
    """The wall-clock time was skipped in this time zone (clocks went forward)."""


def to_aware(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A wall-clock time in ``tz``; the first of two when it happened twice; never a skipped one."""
    aware = naive.replace(tzinfo=tz, fold=0)
    # A skipped time does not survive the round trip through UTC.
    back = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None, fold=0)
    if back != naive.replace(fold=0):
        raise NonexistentTime
    return aware


def pick_time(pick: str, *, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime | None:
    """The moment a quick pick stands for, given the time now; None for "keep" or "other"."""
    local = timezone.localtime(now, tz)
    if pick == NOW:
        return now
    if pick == MINUTES:
        return now - MINUTES_AGO
    if pick == MORNING_PICK:
        return _at(local.date(), MORNING, tz)
    if pick == EVENING_PICK:
        return _at(local.date() - dt.timedelta(days=1), EVENING, tz)
    return None


def _at(day: dt.date, time: dt.time, tz: dt.tzinfo) -> dt.datetime:
    naive = dt.datetime.combine(day, time)
    try:
        return to_aware(naive, tz)
    except NonexistentTime:
        # No zone skips 09:00 or 20:00 today, but a rule could: an hour later exists.
        return to_aware(naive + dt.timedelta(hours=1), tz)


@dataclass(frozen=True)
class Pick:
    code: str
    label: str
    at: dt.datetime | None


def picks(*, now: dt.datetime, tz: dt.tzinfo, current: dt.datetime | None) -> list[Pick]:
    """The picks to offer now: "this morning" only once it is past nine."""
    options = []
    if current is not None:
        shown = dates.when(timezone.localtime(current, tz), "short_weekday_day_month_time")
        options.append(Pick(KEEP, _("As saved (%(when)s)") % {"when": shown}, current))
    options += [
        Pick(NOW, _("Just now"), now),
        Pick(MINUTES, _("A few minutes ago"), pick_time(MINUTES, now=now, tz=tz)),
    ]
    morning = pick_time(MORNING_PICK, now=now, tz=tz)
    if morning is not None and morning < now:
        options.append(Pick(MORNING_PICK, _("This morning (9:00)"), morning))
    options.append(
        Pick(EVENING_PICK, _("Yesterday evening (20:00)"), pick_time(EVENING_PICK, now=now, tz=tz))
    )
    options.append(Pick(OTHER, _("Another time"), None))
    return options


def as_input(value: Any) -> str:
    """A value as a ``datetime-local`` input shows it: local wall-clock time, to the minute."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(INPUT_FORMAT)
    if isinstance(value, dict):
        return str(value.get("at") or "")
    return "" if value is None else str(value)


class WhenWidget(forms.Widget):
    """Reads the pick and the typed time; drawn by journal/_when.html."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return {"pick": data.get(f"{name}-pick") or "", "at": (data.get(name) or "").strip()}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}-pick" not in data

    def format_value(self, value: Any) -> str:
        return as_input(value)


class WhenField(forms.Field):
    """An aware datetime from a quick pick or a typed local time; None keeps what was saved."""

    widget = WhenWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def _typed(self, text: str) -> dt.datetime:
        for fmt in INPUT_FORMATS:
            try:
                # A wall-clock time on purpose: to_aware() places it in the person's zone.
                return dt.datetime.strptime(text, fmt)  # noqa: DTZ007
            except ValueError:
                continue
        raise ValidationError(_("Give a date and a time, such as 2026-05-01 20:30."), "invalid")

    def _unchanged_text(self, initial: Any) -> str:
        return as_input(initial) if initial is not None else ""

    def clean(self, value: Any) -> dt.datetime | None:
        # An unchanged typed time comes back too; has_changed() keeps it from being sent.
        if not isinstance(value, dict):
            return None
        pick, typed = value.get("pick") or "", value.get("at") or ""
        if pick not in (*PICKS, ""):
            raise ValidationError(_("Choose one of the times offered."), "invalid_choice")
        if pick in (KEEP, "") and typed:
            pick = OTHER
        if pick == OTHER:
            if not typed:
                raise ValidationError(_("Give the date and time it happened."), "required")
            tz = timezone.get_current_timezone()
            try:
                return to_aware(self._typed(typed), tz)
            except NonexistentTime:
                raise ValidationError(
                    _(
                        "That time did not exist in %(zone)s: the clocks went forward then. "
                        "Choose a time just before or after the change."
                    )
                    % {"zone": str(tz)},
                    "nonexistent",
                ) from None
        if pick in (KEEP, ""):
            return None
        return pick_time(pick, now=timezone.now(), tz=timezone.get_current_timezone())

    def has_changed(self, initial: Any, data: Any) -> bool:
        if not isinstance(data, dict):
            return False
        pick, typed = data.get("pick") or "", data.get("at") or ""
        if pick in (KEEP, ""):
            return bool(typed) and typed != self._unchanged_text(initial)
        if pick == OTHER:
            return typed != self._unchanged_text(initial)
        return True
