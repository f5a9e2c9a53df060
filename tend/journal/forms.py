"""HTML forms for the journal. They only parse what was posted; the rules live in validation.py.

A service's ``ValidationError`` is added back onto the form, so the person sees what to fix next
to the field, with everything they typed still there.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tend.journal import vocabulary
from tend.journal.bodymap import BodyMapField
from tend.journal.validation import LABEL_LIMIT, TEXT_LIMITS
from tend.journal.when import WhenField

SCALE_CHOICES = [(str(i), str(i)) for i in range(11)]


class ChipSelect(forms.CheckboxSelectMultiple):
    """Checkboxes drawn as large chips (journal/_chips.html); each may carry a description."""

    def __init__(self, descriptions: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.descriptions = descriptions or {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["description"] = self.descriptions.get(str(option["value"]), "")
        return option


class ScaleSelect(forms.RadioSelect):
    """0 to 10 as a row of big tappable numbers (drawn by journal/_scale.html)."""


def _codes_field(kind: str, label: str | Any, *, with_descriptions: bool = False) -> Any:
    terms = vocabulary.VOCABULARIES[kind]
    descriptions = {t.code: t.description for t in terms} if with_descriptions else None
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=vocabulary.choices(kind),
        widget=ChipSelect(descriptions=descriptions),
    )


def _text(label: Any, name: str, *, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=help_text,
        # The limit is enforced in validation.py; maxlength here only saves a round trip.
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_LIMITS[name]}),
    )


def _scale(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        help_text=help_text,
        widget=ScaleSelect,
    )


class MomentFormMixin:
    always_send: tuple[str, ...] = ()

    def add_service_error(self, error: ValidationError) -> None:
        form = cast(forms.Form, self)
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)

    # Form fields that are about the request, not the moment.
    not_moment_fields: frozenset[str] = frozenset({"idempotency_key"})

    def fields_for_service(self) -> dict[str, Any]:
        """What the person changed (plus what the quick path always sends)."""
        form = cast(forms.Form, self)
        send = (set(form.changed_data) | set(self.always_send)) - self.not_moment_fields
        return {name: form.cleaned_data[name] for name in form.fields if name in send}


class CaptureForm(MomentFormMixin, forms.Form):
    """The quick path: choose a state (or write a cue) and save. Everything else can wait."""

    always_send = ("kind", "states", "cue")

    kind = forms.ChoiceField(choices=vocabulary.choices("kinds"), widget=forms.HiddenInput)
    # Made when the form is shown, so that the same form sent twice (a double tap, a reload
    # that posts again, offline.js falling back to an ordinary post) logs one moment. Not a
    # moment field: the view hands it to the service beside them.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    states = _codes_field("states", _("How is your body responding?"), with_descriptions=True)
    cue = _text(_("What happened? (optional)"), "cue", rows=2)

    def __init__(self, *args: Any, kind: str = "activation", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = cast(forms.MultipleChoiceField, self.fields["states"])
        # A glimmer has its own words: the states of a body that feels safe, not Fight or Flight.
        states.choices = [(t.code, t.label) for t in vocabulary.states_for(kind)]
        if kind == "glimmer":
            self.fields["states"].label = _("How does your body feel now?")
            self.fields["cue"].label = _("What helped you feel safe? (optional)")


class MomentForm(MomentFormMixin, forms.Form):
    """Everything about a moment, for "Add more" and for editing."""

    always_send = ()

    kind = forms.ChoiceField(
        label=_("This moment was"),
        choices=[
            ("activation", _("An activation: a cue of threat")),
            ("glimmer", _("A glimmer: a cue of safety")),
        ],
        widget=forms.RadioSelect,
    )
    # Quick picks or any local time (when.py); the body map's inputs (bodymap.py).
    occurred_at = WhenField(label=_("When did it happen?"))
    body = BodyMapField(label=_("In your body"), required=False)
    cue = _text(_("What happened?"), "cue", help_text=_("The cue, in your own words."))
    states = _codes_field("states", _("How did your body respond?"), with_descriptions=True)
    intensity = _scale(_("How strong was it?"), _("0 is none at all, 10 the most."))
    story = _text(
        _("What story did your mind tell?"),
        "story",
        help_text=_("For example: “Would they rather be somewhere else?”"),
    )
    part = _text(
        _("Which part of you felt unsafe?"),
        "part",
        rows=2,
        help_text=_("For example: “the part that fears being left behind”."),
    )
    needs = _codes_field("needs", _("What lies underneath?"))
    contexts = _codes_field("contexts", _("Where were you?"))
    urge = _text(_("What did you feel the urge to do?"), "urge", rows=2)
    action = _text(_("What did you do?"), "action", rows=2)
    helped = _text(_("What helped?"), "helped", rows=2)
    intensity_after = _scale(_("How strong is it now?"), _("After resourcing: 0 to 10."))
    minutes_to_settle = forms.IntegerField(
        label=_("Minutes it took to settle"),
        required=False,
        min_value=0,
        max_value=7 * 24 * 60,
        error_messages={"invalid": _("Give whole minutes, such as 20.")},
    )
    notes = _text(_("Anything else"), "notes")
    new_need = forms.CharField(
        label=_("Add your own words for what lies underneath"),
        required=False,
        max_length=LABEL_LIMIT,
    )
    new_context = forms.CharField(
        label=_("Add your own place or situation"),
        required=False,
        max_length=LABEL_LIMIT,
    )

    # Not moment fields: the view turns them into the person's own vocabulary entries.
    OWN_ENTRY_FIELDS = {"new_need": "needs", "new_context": "contexts"}

    # The form folds into sections, as capture does: the first is always open; the others open
    # when they hold an error. Each says whether anything in it is filled in.
    SECTIONS: dict[str, tuple[str, ...]] = {
        "when": ("occurred_at", "body"),
        "underneath": ("story", "part", "needs", "new_need", "contexts", "new_context", "people"),
        "after": ("urge", "action", "helped", "intensity_after", "minutes_to_settle", "notes"),
        "glimmer_around": ("contexts", "new_context", "people", "notes"),
    }
    # What only an activation asks. A glimmer shows these only if it already holds an answer
    # (say, a moment first logged as an activation), so nothing kept is hidden.
    ACTIVATION_ONLY = ("story", "part", "needs", "urge", "action", "helped", "intensity_after")

    def __init__(
        self,
        *args: Any,
        own_choices: dict[str, list[tuple[str, str]]] | None = None,
        kind: str = "activation",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.moment_kind = kind
        states = cast(forms.MultipleChoiceField, self.fields["states"])
        offered = [t.code for t in vocabulary.states_for(kind)]
        # A state chosen before (under the other kind) stays offered, so saving never drops it.
        kept = [code for code in (self.initial.get("states") or []) if code not in offered]
        states.choices = [
            (code, vocabulary.label("states", code))
            for code in [*offered, *kept]
            if vocabulary.term("states", code)
        ]
        if kind == "glimmer":
            self.fields["cue"].label = _("What helped you feel safe?")
            self.fields["cue"].help_text = _("The glimmer, in your own words.")
            states.label = _("How did your body feel?")
            self.fields["intensity"].label = _("How strong was the sense of safety?")
            self.fields["contexts"].label = _("Where were you?")
            self.fields["notes"].label = _("Anything you want to remember")
        for name, extra in (own_choices or {}).items():
            field = cast(forms.MultipleChoiceField, self.fields[name])
            field.choices = [*vocabulary.choices(name), *extra]
        for name in ("states", "needs", "contexts"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose from the list shown.")
        for name in ("intensity", "intensity_after"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose a number from 0 to 10.")

    def sections(self) -> dict[str, dict[str, bool]]:
        """For each folded section: must it open (it holds an error), and is it filled in."""
        form = cast(forms.Form, self)
        out = {}
        for name, fields in self.SECTIONS.items():
            present = [f for f in fields if f in form.fields]
            out[name] = {
                "open": any(form[f].errors for f in present),
                # "When" always holds a time, so it never counts as filled in by itself.
                "filled": any(_has_value(form[f].value()) for f in present if f != "occurred_at"),
            }
        return out

    def asks_activation_parts(self) -> bool:
        """Whether the activation's own questions are shown: always for an activation, and for a
        glimmer only when one of them already holds an answer."""
        form = cast(forms.Form, self)
        if self.moment_kind != "glimmer":
            return True
        return any(_has_value(form[f].value()) for f in self.ACTIVATION_ONLY)


def _has_value(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return any(_has_value(v) for v in (value.values() if isinstance(value, dict) else value))
    return value is not None and value != ""
