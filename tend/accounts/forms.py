from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tend.accounts.models import Appearance, User
from tend.accounts.selectors import time_zone_choices
from tend.core.languages import language_choices


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=60,
        required=False,
        help_text=_(
            "What partners and practitioners you connect with see. You can leave it empty."
        ),
        error_messages={"max_length": _("Keep your name to 60 characters or fewer.")},
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_(
            "Reminders and check-ins follow this clock. Zones are listed by region and city, "
            "such as Europe/Berlin or America/New_York."
        ),
        error_messages={
            "invalid_choice": _("Choose a time zone from the list, such as Europe/Berlin."),
            "required": _("Choose the time zone you live in."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        error_messages={"invalid_choice": _("Choose one of the languages in the list.")},
    )

    # Not required: a form saved from a page cached before this field existed keeps "system".
    appearance = forms.ChoiceField(
        label=_("Light or dark"),
        choices=Appearance.choices,
        required=False,
        help_text=_("Dark can be easier on the eyes at night. Kept for you on every device."),
        error_messages={"invalid_choice": _("Choose one of the three in the list.")},
    )

    def clean_appearance(self) -> str:
        return self.cleaned_data.get("appearance") or Appearance.SYSTEM

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> ProfileForm:
        return cls(
            data,
            initial={
                "display_name": user.display_name,
                "time_zone": user.time_zone,
                "language": user.language,
                "appearance": user.appearance,
            },
        )


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Type your email address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Type your email address to confirm.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _(
                    "That is not the address of this account. Type the address you sign in "
                    "with, exactly."
                )
            )
        return email
