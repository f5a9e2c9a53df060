from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tend.api.models import ApiToken, TokenScope


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
