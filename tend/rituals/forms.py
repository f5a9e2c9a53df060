from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tend.core.forms import Posted, PostedList, Ticked, posted_form
from tend.rituals.agenda import AGENDA, MAX_ACTION_ITEMS
from tend.rituals.models import Ritual

WEEKDAYS = [
    ("MO", _("Mon")),
    ("TU", _("Tue")),
    ("WE", _("Wed")),
    ("TH", _("Thu")),
    ("FR", _("Fri")),
    ("SA", _("Sat")),
    ("SU", _("Sun")),
]


class RitualForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of ritual"),
        choices=Ritual.Kind.choices,
        widget=forms.RadioSelect,
        initial=Ritual.Kind.CHECKIN,
    )
    connection = forms.ChoiceField(label=_("With whom"), required=False)
    words = forms.CharField(
        label=_("In your own words (optional)"),
        required=False,
        max_length=300,
        help_text=_(
            "For example “I'm still here”. Only the people in this ritual see it; "
            "it never appears in a reminder or a calendar."
        ),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[("WEEKLY", _("On chosen days each week")), ("DAILY", _("Every day"))],
        widget=forms.RadioSelect,
        initial="WEEKLY",
    )
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple
    )
    time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=dt.time(19),
    )
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For touch points during a trip or a date: the last day."),
    )
    basis = forms.ChoiceField(
        label=_("Whose clock"),
        choices=Ritual.Basis.choices,
        widget=forms.RadioSelect,
        initial=Ritual.Basis.TOGETHER,
    )
    duration_minutes = forms.IntegerField(
        label=_("How long, in minutes"), min_value=1, max_value=1440, initial=30
    )

    def __init__(self, *args: Any, connections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connection"].choices = [("", _("Just me")), *connections]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("frequency") == "WEEKLY" and not data.get("days"):
            self.add_error("days", _("Choose at least one day."))
        ends, start = data.get("ends_on"), data.get("start_date")
        if ends and start and ends < start:
            self.add_error("ends_on", _("The last day comes on or after the first."))
        return data

    def rrule(self) -> str:
        data = self.cleaned_data
        rule = f"FREQ={data['frequency']}"
        if data["frequency"] == "WEEKLY":
            rule += ";BYDAY=" + ",".join(data["days"])
        if data.get("ends_on"):
            rule += f";UNTIL={data['ends_on']:%Y%m%d}T235959"
        return rule


# ---- What the other ritual and check-in pages read from a post (values as sent; the services
# judge them, see tend.core.forms) -------------------------------------------------------------


class MarkForm(forms.Form):
    """An occurrence marked done, skipped, moved (to a local day and time) or cleared."""

    original = Posted()
    state = Posted()
    moved_to = Posted()

    def __init__(self, data: Any, *, tz: dt.tzinfo) -> None:
        super().__init__(data)
        self.tz = tz

    def clean_original(self) -> dt.datetime:
        # The occurrence as the page names it: its UTC start.
        try:
            return dt.datetime.strptime(self.cleaned_data["original"], "%Y%m%dT%H%M%SZ").replace(
                tzinfo=dt.UTC
            )
        except ValueError:
            raise forms.ValidationError(
                _("That date is not one of this ritual's times."), code="unknown"
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wall = data.get("moved_to", "")
        data["moved_to"] = None
        if data.get("state") == "moved":
            try:
                data["moved_to"] = dt.datetime.strptime(wall, "%Y-%m-%dT%H:%M").replace(
                    tzinfo=self.tz
                )
            except ValueError:
                self.add_error("moved_to", _("Choose a day and time to move it to."))
        return data


CalendarLinkForm = posted_form("CalendarLinkForm", action=Posted(), discreet=Ticked())
CheckInStartForm = posted_form("CheckInStartForm", connection=Posted())


class AnswerForm(forms.Form):
    """One's answers to a check-in's agenda, and the action items one adds."""

    action_item = PostedList()

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        for name, _label, _help in AGENDA:
            self.fields[name] = Posted()

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _label, _help in AGENDA}

    def action_items(self) -> list[str]:
        return list(self.cleaned_data["action_item"])[:MAX_ACTION_ITEMS]


ActionDoneForm = posted_form("ActionDoneForm", next=Posted())
