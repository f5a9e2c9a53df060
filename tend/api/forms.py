from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tend.api.models import ApiToken, TokenScope
from tend.api.services import DEFAULT_LIFETIME_DAYS


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken.NAME_MAX_LENGTH,
        help_text=_("Just for you, to recognise it later, such as “Phone shortcut”."),
        error_messages={
            "required": _("Give the token a name, such as “Phone shortcut”."),
            "max_length": _("Keep the name to %(limit_value)d characters or fewer."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose either read only or read and write.")},
    )
    expires = forms.ChoiceField(
        label=_("Expires"),
        choices=[
            ("30", _("In 30 days")),
            ("90", _("In 90 days")),
            ("365", _("In a year")),
            ("never", _("Never")),
        ],
        initial="365",
        # A form posted without it (a page loaded before it existed) gets the default.
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose when the token should stop working.")},
    )

    def expires_in_days(self) -> int | None:
        """The chosen lifetime in days, None for a token that never expires."""
        choice = self.cleaned_data["expires"] or str(DEFAULT_LIFETIME_DAYS)
        return None if choice == "never" else int(choice)
