"""People on the "Add more or change" form: chips of one's own people, and "add someone" inline.

The form (``MomentForm``) is shared with other parts of the page, so the two fields are added
to it here, per request, with the person's own people as the only choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tend.journal.forms import ChipSelect
from tend.journal.people import people_of, person_add
from tend.journal.validation import LABEL_LIMIT

if TYPE_CHECKING:
    from tend.accounts.models import User
    from tend.journal.models import Moment


def add_people_fields(form: forms.Form, *, owner: User, moment: Moment) -> None:
    form.fields["people"] = forms.MultipleChoiceField(
        label=_("Who was part of it?"),
        help_text=_("Only you see these names."),
        required=False,
        choices=[(str(p.id), p.label) for p in people_of(owner=owner)],
        widget=ChipSelect,
        error_messages={"invalid_choice": _("Choose from the people shown.")},
    )
    form.fields["new_person"] = forms.CharField(
        label=_("Add someone"),
        help_text=_("A name, a nickname or an initial, as you like."),
        required=False,
        max_length=LABEL_LIMIT,
    )
    form.initial["people"] = [str(p.id) for p in moment.people.all()]


def take_new_person(fields: dict[str, Any], *, owner: User, form: forms.Form) -> None:
    """Turn "add someone" into one of the owner's people, named on this moment too.

    Call inside the transaction that saves the moment, so that the person is only kept if the
    moment saves.
    """
    label = cast(str, fields.pop("new_person", "") or "")
    if not label.strip():
        return
    try:
        person, _created = person_add(owner=owner, label=label)
    except ValidationError as error:
        # Shown next to the box it was typed in.
        raise ValidationError({"new_person": error.messages}) from None
    chosen = list(fields.get("people", form.cleaned_data.get("people") or []))
    if str(person.id) not in chosen:
        chosen.append(str(person.id))
    fields["people"] = chosen
