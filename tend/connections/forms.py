"""What the connections pages read from a post, one form a page (``tend.core.forms``: values as
sent, for the services to judge)."""

from __future__ import annotations

from django import forms

from tend.core.forms import Posted, Ticked


class VisibilityForm(forms.Form):
    appear_to_metamours = Posted()
    show_my_connections = Ticked()


class LabelForm(forms.Form):
    label = Posted()


class EndForm(forms.Form):
    quietly = Ticked()


class InviteForm(forms.Form):
    kind = Posted()
    email = Posted()


class ShareForm(forms.Form):
    scope = Posted()
    moment = Posted(absent=None)
    theme = Posted(absent=None)
    note = Posted()
    expires = Posted()
    include_stories = Ticked()


class RevokeForm(forms.Form):
    back = Posted()


class DiscreetForm(forms.Form):
    neutral_name = Ticked()


class SafetyCheckForm(forms.Form):
    confirm = Posted()
