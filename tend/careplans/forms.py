"""The forms of the care plan and repair pages: what each page reads from a post, in one place.

The rules are the services' (they say what to fix); these forms only read the post, so each
view is parse, call, answer.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tend.core.forms import Posted, PostedList, posted_form

# The connections to start a plan with: ids, which ``connection_for`` checks one by one.
NewPlanForm = posted_form("NewPlanForm", connection=PostedList())


class ReviewForm(forms.Form):
    review_on = Posted()

    def clean_review_on(self) -> dt.date | None:
        value: str = self.cleaned_data["review_on"]
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise ValidationError(_("Choose a date for the review.")) from None


# "Remind me later" offers these waits; anything else waits two hours.
LATER_HOURS = {"1": 1, "2": 2, "24": 24}


class GuideForm(forms.Form):
    """The conversation guide: "later" (with how many hours) or "propose" (with the answers)."""

    action = Posted()
    hours = Posted()
    name = Posted()
    scary = Posted()
    seen = Posted()

    def clean_hours(self) -> int:
        return LATER_HOURS.get(self.cleaned_data["hours"], 2)


class PauseForm(forms.Form):
    connection = Posted()
    minutes = Posted()

    def clean_minutes(self) -> int:
        # Absent means the default; anything that is not a whole number is refused.
        value = self.cleaned_data["minutes"] if "minutes" in self.data else "30"
        try:
            return int(value)
        except ValueError:
            raise ValidationError(_("Choose a time between 5 minutes and a day.")) from None


DebriefForm = posted_form(
    "DebriefForm", what_happened=Posted(), my_part=Posted(), try_next=Posted()
)
