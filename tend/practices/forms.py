"""The form for one's own practice. The rules live in validation.py; this only shapes the input.

On an error the form is shown again with everything as it was typed, and each message says what
to change (never repeating the words).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tend.journal import vocabulary
from tend.practices import catalogue
from tend.practices.validation import (
    MAX_PHASE_SECONDS,
    NAME_LIMIT,
    STEPS_LIMIT,
    clean_custom_practice,
)

PHASES = (
    ("breath_in", _("Breathe in (seconds)")),
    ("hold_in", _("Hold (seconds)")),
    ("breath_out", _("Breathe out (seconds)")),
    ("hold_out", _("Rest (seconds)")),
)
MINUTES = (
    (1, _("1 minute")),
    (2, _("2 minutes")),
    (3, _("3 minutes")),
    (5, _("5 minutes")),
    (10, _("10 minutes")),
    (20, _("20 minutes")),
)


class CustomPracticeForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_LIMIT * 2,  # the rules give the message; this only bounds the input
        required=False,
        help_text=_("Only you see it."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=catalogue.KINDS, initial="breath")
    breath_in = forms.IntegerField(label=PHASES[0][1], required=False, initial=4)
    hold_in = forms.IntegerField(label=PHASES[1][1], required=False, initial=0)
    breath_out = forms.IntegerField(label=PHASES[2][1], required=False, initial=6)
    hold_out = forms.IntegerField(label=PHASES[3][1], required=False, initial=0)
    minutes = forms.TypedChoiceField(label=_("How long"), choices=MINUTES, coerce=int, initial=3)
    steps = forms.CharField(
        label=_("Steps (optional)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=STEPS_LIMIT * 2,
        help_text=_("One step per line."),
    )
    suits_states = forms.MultipleChoiceField(
        label=_("When does it help? (optional)"),
        choices=vocabulary.choices("states"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _label in PHASES:
            self.fields[name].widget.attrs.update(
                {"min": 0, "max": MAX_PHASE_SECONDS, "inputmode": "numeric"}
            )

    @classmethod
    def initial_from(cls, practice: Any) -> dict[str, Any]:
        pattern = practice.pattern if len(practice.pattern) == 4 else [4, 0, 6, 0]
        minutes = max(1, round(practice.duration_seconds / 60))
        return {
            "name": practice.name,
            "kind": practice.kind,
            "steps": practice.steps,
            "suits_states": practice.suits_states,
            "minutes": minutes if minutes in dict(MINUTES) else 3,
            **{name: pattern[i] for i, (name, _label) in enumerate(PHASES)},
        }

    def fields_for_service(self) -> dict[str, Any]:
        """The cleaned fields in the service's shape, after the form's own checks."""
        data = self.cleaned_data
        kind = data.get("kind") or "breath"
        pattern = [data.get(name) or 0 for name, _label in PHASES]
        return {
            "name": data.get("name", ""),
            "kind": kind,
            "steps": data.get("steps", ""),
            "pattern": pattern if kind == "breath" else [],
            "duration_seconds": int(data.get("minutes") or 3) * 60,
            "suits_states": list(data.get("suits_states") or []),
        }

    def check(self) -> dict[str, Any] | None:
        """Validate with the shared rules; errors land on the fields they are about."""
        if not self.is_valid():
            return None
        fields = self.fields_for_service()
        try:
            clean_custom_practice(fields)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                target = {"pattern": "breath_in", "duration_seconds": "minutes"}.get(name, name)
                for message in messages:
                    self.add_error(None if target == "__all__" else target, message)
            return None
        return fields
