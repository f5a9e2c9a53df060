"""Every rule a moment must meet, in one place, for the HTML forms, the API and imports alike.

``clean_moment(data)`` returns the cleaned fields or raises one ``ValidationError`` whose
``error_dict`` names each field and says what to fix. Messages never repeat what was typed: an
error may be logged or shown somewhere the words should not be.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.core.text import has_control_characters
from tend.journal import moment_fields, vocabulary
from tend.journal.moment_fields import SCALE_FIELDS

TEXT_LIMITS: dict[str, int] = {
    "cue": 2000,
    "story": 5000,
    "part": 1000,
    "urge": 2000,
    "action": 2000,
    "helped": 2000,
    "notes": 10000,
}
# Each list's codes come from the vocabulary of the same name.
CODE_LIST_FIELDS: dict[str, str] = {name: name for name in moment_fields.CODE_LIST_FIELDS}
MAX_MINUTES_TO_SETTLE = 7 * 24 * 60
MAX_BODY_ENTRIES = len(vocabulary.REGIONS)
# A phone's clock may run a little fast; anything further ahead is a mistake, not a moment.
FUTURE_TOLERANCE = dt.timedelta(minutes=15)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

FIELDS = frozenset(moment_fields.MOMENT_FIELDS)


def _clean_text(name: str, value: Any, errors: dict[str, list[str]]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = [_("Write this as plain text.")]
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    limit = TEXT_LIMITS[name]
    if len(value) > limit:
        errors[name] = [
            _("Keep this under %(limit)s characters (it has %(count)s).")
            % {"limit": f"{limit:,}", "count": f"{len(value):,}"}
        ]
        return ""
    if has_control_characters(value):
        errors[name] = [_("Remove the invisible control characters (perhaps pasted by accident).")]
        return ""
    return value.strip()


def _clean_scale(name: str, value: Any, errors: dict[str, list[str]]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        errors[name] = [_("Choose a number from 0 (none) to 10 (the most).")]
        return None
    return value


def _clean_codes(
    name: str,
    kind: str,
    value: Any,
    errors: dict[str, list[str]],
    own: frozenset[str] = frozenset(),
) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors[name] = [_("Send a list of codes.")]
        return []
    known = vocabulary.codes(kind) | own
    unknown = [v for v in value if v not in known]
    if unknown:
        # Not which ones: whatever was sent is never repeated back.
        errors[name] = [_("Choose from the list; something chosen here is not in it.")]
        return []
    # Keep the person's order but drop repeats.
    return list(dict.fromkeys(value))


def _clean_occurred_at(value: Any, errors: dict[str, list[str]]) -> dt.datetime | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            errors["occurred_at"] = [_("Give a date and time, such as 2026-05-01T20:30+02:00.")]
            return None
    if not isinstance(value, dt.datetime):
        errors["occurred_at"] = [_("Give a date and time.")]
        return None
    if timezone.is_naive(value):
        errors["occurred_at"] = [_("Include a time zone offset, such as +02:00 or Z.")]
        return None
    if value > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = [_("Choose a time that has already happened.")]
        return None
    if value < EARLIEST:
        errors["occurred_at"] = [_("Choose a time after the year 2000.")]
        return None
    return value


def _clean_body(value: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or len(value) > MAX_BODY_ENTRIES:
        errors["body"] = [_("Send a list of body regions (one entry per region).")]
        return []
    regions = vocabulary.codes("regions")
    sensations = vocabulary.codes("sensations")
    cleaned: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(value, start=1):
        if not isinstance(entry, dict) or not set(entry) <= {"region", "sensations", "intensity"}:
            problems.append(
                _("Entry %(n)s: use only region, sensations and intensity.") % {"n": index}
            )
            continue
        region = entry.get("region")
        if region not in regions:
            problems.append(_("Entry %(n)s: choose a body region from the map.") % {"n": index})
            continue
        if region in seen:
            problems.append(_("Entry %(n)s: this region is already listed.") % {"n": index})
            continue
        seen.add(region)
        felt = entry.get("sensations") or []
        if not isinstance(felt, list) or not all(s in sensations for s in felt):
            problems.append(_("Entry %(n)s: choose sensations from the list.") % {"n": index})
            continue
        scale_errors: dict[str, list[str]] = {}
        intensity = _clean_scale("intensity", entry.get("intensity"), scale_errors)
        if scale_errors:
            problems.append(_("Entry %(n)s: intensity is a number from 0 to 10.") % {"n": index})
            continue
        cleaned.append(
            {"region": region, "sensations": list(dict.fromkeys(felt)), "intensity": intensity}
        )
    if problems:
        errors["body"] = problems
        return []
    return cleaned


def clean_moment(
    data: dict[str, Any],
    *,
    partial: bool = False,
    own_codes: dict[str, frozenset[str]] | None = None,
) -> dict[str, Any]:
    """Clean the fields present in ``data``; with ``partial=False`` also check what a moment needs.

    Only the fields present come back, so that an update changes nothing it was not given.
    ``own_codes`` holds the codes of the author's own needs and contexts, which are as valid
    for them as the shared vocabulary (and for nobody else).
    """
    own_codes = own_codes or {}
    errors: dict[str, list[str]] = {}
    unknown = set(data) - FIELDS
    if unknown:
        errors["__all__"] = [_("Send only the fields a moment has.")]
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if name in unknown:
            continue
        if name == "kind":
            if value not in vocabulary.codes("kinds"):
                errors["kind"] = [_("Choose activation or glimmer.")]
            else:
                cleaned["kind"] = value
        elif name == "occurred_at":
            if value is not None:
                cleaned["occurred_at"] = _clean_occurred_at(value, errors)
        elif name in TEXT_LIMITS:
            cleaned[name] = _clean_text(name, value, errors)
        elif name in CODE_LIST_FIELDS:
            kind = CODE_LIST_FIELDS[name]
            cleaned[name] = _clean_codes(
                name, kind, value, errors, own_codes.get(kind, frozenset())
            )
        elif name in SCALE_FIELDS:
            cleaned[name] = _clean_scale(name, value, errors)
        elif name == "minutes_to_settle":
            if value in (None, ""):
                cleaned[name] = None
            elif isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if name not in cleaned:
                if (
                    isinstance(value, bool)
                    or not isinstance(value, int)
                    or not 0 <= value <= MAX_MINUTES_TO_SETTLE
                ):
                    errors[name] = [_("Give whole minutes, from 0 up to a week.")]
                else:
                    cleaned[name] = value
        elif name == "body":
            cleaned["body"] = _clean_body(value, errors)
    if not partial and not errors:
        check_required(cleaned, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_required(fields: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Only a cue or a state is needed: anything more can wait until the person is calmer."""
    if not (fields.get("cue") or "").strip() and not fields.get("states"):
        errors.setdefault("__all__", []).append(
            _("Choose how you are feeling, or write a few words about what happened.")
        )


LABEL_LIMIT = 60


def clean_label(value: Any) -> str:
    """A person's own need or context: a short label, in their words."""
    if not isinstance(value, str):
        raise ValidationError({"label": [_("Write this as plain text.")]})
    label = value.strip()
    if not label:
        raise ValidationError({"label": [_("Write a few words.")]})
    if len(label) > LABEL_LIMIT:
        raise ValidationError(
            {"label": [_("Keep this under %(limit)s characters.") % {"limit": LABEL_LIMIT}]}
        )
    if has_control_characters(label, allow_line_breaks=False):
        raise ValidationError({"label": [_("Remove the invisible control characters.")]})
    return label
