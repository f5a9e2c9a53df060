"""The rules for a person's own practices and for practice sessions, for the forms and the API.

Each ``clean_*`` returns the cleaned fields or raises one ``ValidationError`` naming every field
and what to fix. Messages never repeat what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.core.text import has_control_characters
from tend.journal import vocabulary
from tend.practices import catalogue

NAME_LIMIT = 80
STEPS_LIMIT = 4000
MAX_STEPS = 20
MAX_PHASE_SECONDS = 30
MIN_DURATION = 10
MAX_DURATION = 3600
MAX_SESSION_SECONDS = 86400
# A phone's clock may run a little fast; a session that starts later than this is a mistake.
FUTURE_TOLERANCE = dt.timedelta(minutes=15)

CUSTOM_FIELDS = frozenset({"name", "steps", "kind", "pattern", "duration_seconds", "suits_states"})


def _text(
    name: str, value: Any, limit: int, errors: dict[str, list[str]], *, required: bool
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = [_("Write this as plain text.")]
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        errors[name] = [_("Give it a name, in a few words.")]
    elif len(value) > limit:
        errors[name] = [
            _("Keep this under %(limit)s characters (it has %(count)s).")
            % {"limit": f"{limit:,}", "count": f"{len(value):,}"}
        ]
    elif has_control_characters(value, allow_line_breaks=name == "steps"):
        errors[name] = [_("Remove the invisible control characters (perhaps pasted by accident).")]
    return value


def clean_pattern(value: Any, errors: dict[str, list[str]]) -> list[int]:
    """Four whole seconds (in, hold, out, hold), or an empty list for no pacer."""
    if value in (None, "", [], ()):
        return []
    if (
        not isinstance(value, list | tuple)
        or len(value) != 4
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        errors["pattern"] = [_("Give four whole numbers of seconds: in, hold, out, hold.")]
        return []
    if not all(0 <= v <= MAX_PHASE_SECONDS for v in value):
        errors["pattern"] = [
            _("Each phase is from 0 to %(max)s seconds.") % {"max": MAX_PHASE_SECONDS}
        ]
        return []
    if value[0] < 1 or value[2] < 1:
        errors["pattern"] = [_("Breathing in and breathing out each need at least 1 second.")]
        return []
    return list(value)


def _duration(name: str, value: Any, errors: dict[str, list[str]], low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[name] = [
            _("Choose from %(low)s to %(high)s seconds.") % {"low": low, "high": f"{high:,}"}
        ]
        return low
    return value


def _states(value: Any, errors: dict[str, list[str]], name: str = "suits_states") -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors[name] = [_("Send a list of state codes.")]
        return []
    if not set(value) <= vocabulary.codes("states"):
        errors[name] = [_("Choose from the list; something chosen here is not in it.")]
        return []
    return list(dict.fromkeys(value))


def clean_custom_practice(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if set(data) - CUSTOM_FIELDS:
        errors["__all__"] = [_("Send only the fields a practice has.")]
    cleaned: dict[str, Any] = {}
    if "name" in data or not partial:
        cleaned["name"] = _text("name", data.get("name"), NAME_LIMIT, errors, required=True)
    if "steps" in data:
        steps = _text("steps", data["steps"], STEPS_LIMIT, errors, required=False)
        if "steps" not in errors and len([s for s in steps.split("\n") if s.strip()]) > MAX_STEPS:
            errors["steps"] = [_("Keep it to %(max)s steps at most.") % {"max": MAX_STEPS}]
        cleaned["steps"] = "\n".join(s.strip() for s in steps.split("\n") if s.strip())
    if "kind" in data or not partial:
        kind = data.get("kind") or "breath"
        if kind not in catalogue.KIND_CODES:
            errors["kind"] = [_("Choose a kind from the list.")]
        cleaned["kind"] = kind
    if "pattern" in data:
        cleaned["pattern"] = clean_pattern(data["pattern"], errors)
    if "duration_seconds" in data:
        cleaned["duration_seconds"] = _duration(
            "duration_seconds", data["duration_seconds"], errors, MIN_DURATION, MAX_DURATION
        )
    if "suits_states" in data:
        cleaned["suits_states"] = _states(data["suits_states"], errors)
    if (
        not errors
        and cleaned.get("kind") == "breath"
        and "pattern" in cleaned
        and not cleaned["pattern"]
    ):
        errors["pattern"] = [_("A breath practice needs its seconds for each phase.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_intensity(name: str, value: Any, errors: dict[str, list[str]]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        errors[name] = [_("Choose a number from 0 (none) to 10 (the most).")]
        return None
    return value


def clean_state(value: Any, errors: dict[str, list[str]]) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in vocabulary.codes("states"):
        errors["state"] = [_("Choose a state from the list.")]
        return ""
    return value


def clean_started_at(value: Any, errors: dict[str, list[str]]) -> dt.datetime:
    now = timezone.now()
    if value in (None, ""):
        return now
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            errors["started_at"] = [_("Give a date and time, such as 2026-05-01T20:30+02:00.")]
            return now
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        errors["started_at"] = [_("Give a date and time with a time zone offset.")]
        return now
    if value > now + FUTURE_TOLERANCE or value.year < 2000:
        errors["started_at"] = [_("Choose a time that has already happened.")]
        return now
    return value


def clean_session(data: dict[str, Any]) -> dict[str, Any]:
    """A practice session's structured fields (the practice itself is checked by the service)."""
    errors: dict[str, list[str]] = {}
    duration = _duration(
        "duration_seconds", data.get("duration_seconds") or 0, errors, 0, MAX_SESSION_SECONDS
    )
    started_at = clean_started_at(data.get("started_at"), errors)
    if data.get("started_at") in (None, "") and "duration_seconds" not in errors:
        # Without a start (a page does not trust its device's clock), it began that long ago.
        started_at -= dt.timedelta(seconds=duration)
    cleaned = {
        "started_at": started_at,
        "duration_seconds": duration,
        "intensity_before": clean_intensity(
            "intensity_before", data.get("intensity_before"), errors
        ),
        "intensity_after": clean_intensity("intensity_after", data.get("intensity_after"), errors),
        "state": clean_state(data.get("state"), errors),
    }
    if errors:
        raise ValidationError(errors)
    return cleaned
