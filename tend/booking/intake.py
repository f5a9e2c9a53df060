"""The default intake of a booking, in the seed's words, and its validation.

The answers are stored as one JSON document encrypted under the practitioner's key
(``Booking.intake``). A practitioner's own questions (``CallType.questions``) follow the
defaults; each answer is checked against its question here so that nothing half-valid is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tend.journal import vocabulary

# Neutral options: none is the default, none is framed as the norm.
RELATIONSHIP_STRUCTURES = (
    ("monogamous", _("Monogamous")),
    ("monogamish", _("Monogamish")),
    ("open", _("Open")),
    ("polyamorous", _("Polyamorous")),
    ("solo", _("Solo / single")),
    ("exploring", _("Exploring or changing")),
    ("other", _("Something else")),
    ("unsaid", _("I'd rather not say")),
)
RELATIONSHIP_CODES = frozenset(code for code, _label in RELATIONSHIP_STRUCTURES)

WHAT_BRINGS_MAX = 2000
CUE_MAX = 500
ANSWER_MAX = 2000
QUESTION_KINDS = ("short", "long", "one", "several", "yesno")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def clean_intake(data: Mapping[str, Any], *, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Check the answers and return them as stored; raise ValidationError naming each field."""
    errors: dict[str, str] = {}
    answers: dict[str, Any] = {}

    relationship = _text(data.get("relationship"))
    if relationship not in RELATIONSHIP_CODES:
        errors["relationship"] = str(
            _("Choose the option that fits best, or 'I'd rather not say'.")
        )
    answers["relationship"] = relationship

    brings = _text(data.get("what_brings"))
    if not brings:
        errors["what_brings"] = str(_("Say in a few words what brings you to the call."))
    elif len(brings) > WHAT_BRINGS_MAX:
        errors["what_brings"] = str(
            _("Please keep this under %(n)d characters.") % {"n": WHAT_BRINGS_MAX}
        )
    answers["what_brings"] = brings

    moment: dict[str, Any] = {}
    cue = _text(data.get("cue"))
    if len(cue) > CUE_MAX:
        errors["cue"] = str(_("Please keep this under %(n)d characters.") % {"n": CUE_MAX})
    if cue:
        moment["cue"] = cue
    states = [s for s in (data.get("states") or []) if isinstance(s, str)]
    if any(s not in vocabulary.codes("states") for s in states):
        errors["states"] = str(_("Choose states from the list."))
    if states:
        moment["states"] = sorted(set(states))
    region = _text(data.get("region"))
    if region and region not in vocabulary.codes("regions"):
        errors["region"] = str(_("Choose a place in the body from the list."))
    if region:
        moment["region"] = region
    intensity = data.get("intensity")
    if intensity not in (None, ""):
        try:
            level = int(str(intensity))
        except (TypeError, ValueError):
            level = -1
        if not 0 <= level <= 10:
            errors["intensity"] = str(_("Choose an intensity from 0 to 10."))
        else:
            moment["intensity"] = level
    if moment:
        answers["moment"] = moment

    own: dict[str, Any] = {}
    for question in questions:
        key = str(question.get("key", ""))
        field = f"q_{key}"
        kind = question.get("kind")
        choices = [str(c) for c in question.get("choices") or []]
        raw = data.get(field)
        value: Any
        if kind in ("short", "long"):
            value = _text(raw)
            if len(value) > ANSWER_MAX:
                errors[field] = str(
                    _("Please keep this under %(n)d characters.") % {"n": ANSWER_MAX}
                )
        elif kind == "one":
            value = _text(raw)
            if value and value not in choices:
                errors[field] = str(_("Choose one of the options."))
        elif kind == "several":
            value = [v for v in (raw or []) if isinstance(v, str)]
            if any(v not in choices for v in value):
                errors[field] = str(_("Choose from the options."))
        else:  # yesno
            value = _text(raw)
            if value and value not in ("yes", "no"):
                errors[field] = str(_("Answer yes or no."))
        if question.get("required") and not value and field not in errors:
            errors[field] = str(_("This question needs an answer."))
        if value:
            own[key] = value
    if own:
        answers["questions"] = own

    if errors:
        raise ValidationError(errors)
    return answers


def clean_questions(questions: Any) -> list[dict[str, Any]]:
    """A call type's own questions, checked as the practitioner saves them."""
    if not isinstance(questions, list) or len(questions) > 20:
        raise ValidationError({"questions": str(_("Add up to 20 questions."))})
    cleaned: list[dict[str, Any]] = []
    for index, question in enumerate(questions):
        if not isinstance(question, dict):
            raise ValidationError({"questions": str(_("Each question needs a label and a kind."))})
        label = _text(question.get("label"))
        kind = question.get("kind")
        choices = [_text(c) for c in question.get("choices") or [] if _text(c)]
        if not label or len(label) > 200 or kind not in QUESTION_KINDS:
            raise ValidationError({"questions": str(_("Each question needs a label and a kind."))})
        if kind in ("one", "several") and not choices:
            raise ValidationError({"questions": str(_("A choice question needs its options."))})
        cleaned.append(
            {
                "key": _text(question.get("key")) or f"q{index + 1}",
                "label": label,
                "kind": kind,
                "choices": choices if kind in ("one", "several") else [],
                "required": bool(question.get("required")),
            }
        )
    return cleaned
