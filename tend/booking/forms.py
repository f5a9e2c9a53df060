"""Forms of the practitioner's booking settings and of the public booking page."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tend.booking import photos
from tend.booking.intake import RELATIONSHIP_STRUCTURES, clean_questions
from tend.booking.models import CallType, PractitionerProfile
from tend.core.zones import known_zones
from tend.journal import vocabulary

# A hyphen, an en dash or an em dash between the two times.
RANGE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-\u2013\u2014]\s*(\d{1,2})[:.](\d{2})\s*$")
# Languages a practitioner may hold calls in beyond those Tend itself is translated into.
EXTRA_LANGUAGES = [
    "es",
    "fr",
    "it",
    "nl",
    "pt",
    "pl",
    "sv",
    "da",
    "no",
    "fi",
    "tr",
    "ar",
    "he",
    "ja",
    "zh",
    "uk",
    "ru",
]
WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


@cache
def zone_choices() -> list[tuple[str, str]]:
    names = sorted(z for z in known_zones() if "/" in z and "Etc" not in z)
    return [(z, z.replace("_", " ")) for z in [*names, "UTC"]]


@cache
def _zone_options() -> tuple[tuple[str, str], ...]:
    """Each zone's ``<option>`` tag, escaped once per process: (value, tag without selected)."""
    return tuple(
        (value, f'<option value="{escape(value)}"{{}}>{escape(label)}</option>')
        for value, label in zone_choices()
    )


class ZoneSelect(forms.Select):
    """``zone_choices`` as a ``<select>``: the HTML of ``forms.Select``, built without templates.

    Django renders every option through its own template include; for this list that was
    about 20 of the ~28 ms of CPU a public page of free times took, on every request.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = str(value[0] if isinstance(value, list | tuple) and value else value or "")
        options = "".join(
            tag.format(" selected" if option == chosen else "") for option, tag in _zone_options()
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{options}</select>')  # noqa: S308 - every part is escaped above


def parse_ranges(text: str) -> list[tuple[dt.time, dt.time]]:
    """ "09:00-12:00, 13:00-17:00" → time pairs; raise ValidationError saying what to write."""
    ranges: list[tuple[dt.time, dt.time]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = RANGE.match(part)
        try:
            if match is None:
                raise ValueError
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if (h2, m2) == (24, 0):
                h2, m2 = 23, 59
            ranges.append((dt.time(h1, m1), dt.time(h2, m2)))
        except ValueError:
            raise forms.ValidationError(
                _("Write hours like 09:00-12:00, 13:00-17:00 (or leave empty for no hours).")
            ) from None
    return ranges


def format_question(question: dict[str, Any]) -> str:
    text = f"{'*' if question.get('required') else ''}{question['kind']}: {question['label']}"
    if question.get("choices"):
        text += " | " + "; ".join(question["choices"])
    return text


def format_ranges(ranges: list[tuple[dt.time, dt.time]]) -> str:
    return ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in ranges)


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    languages_text = forms.CharField(
        label=_("Languages you hold calls in"),
        required=False,
        max_length=100,
        help_text=_("Language codes separated by commas, e.g. en, de."),
    )
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=zone_choices)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_(
            "A JPEG, PNG, WebP or GIF up to 8 MB. It is made smaller and everything else in the "
            "file (such as where it was taken) is removed; the original is not kept."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = PractitionerProfile
        fields = ("public_name", "slug", "pronouns", "bio", "approach", "time_zone")
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "approach": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"slug": _("Letters, digits and hyphens: /book/your-name/")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages_text"] = ", ".join(self.instance.languages)

    def clean_photo(self) -> photos.Photo | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > photos.MAX_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(_("That file is larger than 8 MB. Choose a smaller photo."))
        try:
            return photos.prepare(upload.read())
        except photos.PhotoError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_languages_text(self) -> list[str]:
        known = {code for code, _label in settings.LANGUAGES} | set(EXTRA_LANGUAGES)
        codes = [c.strip().lower() for c in self.cleaned_data["languages_text"].split(",")]
        codes = [c for c in codes if c]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(_("Use two-letter language codes such as en, de, fr."))
        return codes


class CallTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    notice_hours = forms.IntegerField(
        label=_("Minimum notice (hours)"), min_value=0, max_value=24 * 30, initial=12
    )
    consents_text = forms.CharField(
        label=_("Statements the person booking must tick"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Each is stored with the booking, with the time it was ticked."),
    )
    questions_text = forms.CharField(
        label=_("Your own questions, after the usual ones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: the kind, a colon, the question; for choices add the options after "
            "a bar, separated by semicolons; start with * if an answer is required. Kinds: "
            "short, long, one, several, yesno. For example: "
            "*one: How did you hear of me? | A friend; A search; Elsewhere"
        ),
    )
    reminders_text = forms.CharField(
        label=_("Reminders (hours before the call)"),
        initial="24, 1",
        required=False,
        max_length=40,
        help_text=_("Sent to both of you; separate with commas. Empty for none."),
    )

    class Meta:
        model = CallType
        fields = (
            "name",
            "duration_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "horizon_days",
            "daily_limit",
            "step_minutes",
            "location_kind",
            "location",
            "cancellation_note",
        )
        widgets = {"location": forms.TextInput(), "cancellation_note": forms.Textarea({"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["notice_hours"] = self.instance.min_notice_minutes // 60
            self.initial["consents_text"] = "\n".join(self.instance.consents)
            self.initial["questions_text"] = "\n".join(
                format_question(q) for q in self.instance.questions
            )
            self.initial["reminders_text"] = ", ".join(
                f"{m // 60:g}" if m % 60 == 0 else f"{m / 60:g}"
                for m in self.instance.reminder_offsets
            )
        self.fields["location"].help_text = _("Shown to the person only once they have booked.")

    def clean_consents_text(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["consents_text"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > 5 or any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("Up to five statements of up to 300 characters each."))
        return lines

    def clean_questions_text(self) -> list[dict[str, Any]]:
        questions: list[dict[str, Any]] = []
        for line in self.cleaned_data["questions_text"].splitlines():
            line = line.strip()
            if not line:
                continue
            required = line.startswith("*")
            kind, colon, rest = line.lstrip("*").partition(":")
            label, _bar, options = rest.partition("|")
            if not colon:
                raise forms.ValidationError(
                    _("Start each question with its kind and a colon, e.g. long: What helps?")
                )
            questions.append(
                {
                    "key": f"q{len(questions) + 1}",
                    "kind": kind.strip().lower(),
                    "label": label.strip(),
                    "choices": [o.strip() for o in options.split(";") if o.strip()],
                    "required": required,
                }
            )
        try:
            return clean_questions(questions)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean_reminders_text(self) -> list[int]:
        minutes: list[int] = []
        for part in filter(
            None, (p.strip() for p in self.cleaned_data["reminders_text"].split(","))
        ):
            try:
                hours = float(part)
            except ValueError:
                raise forms.ValidationError(_("Write hours as numbers, e.g. 24, 1.")) from None
            if not 0 < hours <= 24 * 14:
                raise forms.ValidationError(
                    _("Each reminder is between a few minutes and 14 days before.")
                )
            minutes.append(round(hours * 60))
        if len(minutes) > 4:
            raise forms.ValidationError(_("Up to four reminders."))
        return sorted(set(minutes), reverse=True)

    def clean_duration_minutes(self) -> int:
        value = int(self.cleaned_data["duration_minutes"])
        if not 5 <= value <= 480:
            raise forms.ValidationError(_("A call lasts between 5 minutes and 8 hours."))
        return value

    def clean_step_minutes(self) -> int:
        value = int(self.cleaned_data["step_minutes"])
        if not 5 <= value <= 480:
            raise forms.ValidationError(_("Offer a start every 5 to 480 minutes."))
        return value

    def clean_horizon_days(self) -> int:
        value = int(self.cleaned_data["horizon_days"])
        if not 1 <= value <= 365:
            raise forms.ValidationError(_("Between 1 and 365 days ahead."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("buffer_before_minutes", "buffer_after_minutes"):
            if (data.get(name) or 0) > 240:
                self.add_error(name, _("A buffer is at most 240 minutes."))
        return data


class HoursForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day{day}"] = forms.CharField(label=name, required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in range(7):
            key = f"day{day}"
            if key in data:
                try:
                    data[key] = parse_ranges(data[key])
                except forms.ValidationError as error:
                    self.add_error(key, error)
        return data


class OverrideForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.CharField(
        label=_("Hours on that date"),
        required=False,
        max_length=200,
        help_text=_("Like 10:00-14:00. Leave empty for a day off."),
    )

    def clean_hours(self) -> list[tuple[dt.time, dt.time]]:
        return parse_ranges(self.cleaned_data["hours"])


class ZoneForm(forms.Form):
    zone = forms.ChoiceField(label=_("Show times in"), choices=zone_choices, widget=ZoneSelect)


class BookingForm(forms.Form):
    """The default intake, in the seed's words, then the call type's own questions."""

    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("The confirmation and your link to change the time go here."),
    )
    pronouns = forms.CharField(label=_("Your pronouns (optional)"), required=False, max_length=40)
    relationship = forms.ChoiceField(
        label=_("Your relationship structure"),
        choices=RELATIONSHIP_STRUCTURES,
        widget=forms.RadioSelect,
    )
    what_brings = forms.CharField(
        label=_("What brings you to the call?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    cue = forms.CharField(
        label=_("What happened (the cue)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    states = forms.MultipleChoiceField(
        label=_("How your body responded"),
        required=False,
        # A moment that brings someone to a call: the states of an activation.
        choices=[(t.code, t.label) for t in vocabulary.states_for("activation")],
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(
        label=_("Where you felt it most"),
        required=False,
        choices=[("", _("—")), *vocabulary.choices("regions")],
    )
    intensity = forms.TypedChoiceField(
        label=_("How strong it was (0 to 10)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("—")), *((str(n), str(n)) for n in range(11))],
    )
    # A field people never see; bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args: Any, call_type: CallType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = list(call_type.consents)
        for index, text in enumerate(self.statements):
            self.fields[f"consent{index}"] = forms.BooleanField(label=text, required=True)
        self.own_questions = list(call_type.questions)
        for question in self.own_questions:
            self.fields[f"q_{question['key']}"] = _question_field(question)

    def consents_ticked(self) -> list[int]:
        return [i for i in range(len(self.statements)) if self.cleaned_data.get(f"consent{i}")]

    def intake(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers: dict[str, Any] = {
            key: data.get(key)
            for key in ("relationship", "what_brings", "cue", "states", "region", "intensity")
        }
        for question in self.own_questions:
            answers[f"q_{question['key']}"] = data.get(f"q_{question['key']}")
        return answers


def _question_field(question: dict[str, Any]) -> forms.Field:
    label, required = question["label"], bool(question.get("required"))
    choices = [(c, c) for c in question.get("choices") or []]
    kind = question["kind"]
    if kind == "long":
        return forms.CharField(
            label=label, required=required, max_length=2000, widget=forms.Textarea({"rows": 3})
        )
    if kind == "one":
        return forms.ChoiceField(
            label=label, required=required, choices=choices, widget=forms.RadioSelect
        )
    if kind == "several":
        return forms.MultipleChoiceField(
            label=label, required=required, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    if kind == "yesno":
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
        )
    return forms.CharField(label=label, required=required, max_length=2000)
