"""People pages: the list of one's people (add, rename, forget), and the people on moment forms.

On "Add more or change": chips of one's own people, and "add someone" inline.

The form (``MomentForm``) is shared with other parts of the page, so the two fields are added
to it here, per request, with the person's own people as the only choices.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.journal.forms import ChipSelect
from tend.journal.people import (
    people_of,
    person_add,
    person_delete,
    person_for,
    person_rename,
)
from tend.journal.people_models import Person
from tend.journal.validation import LABEL_LIMIT

if TYPE_CHECKING:
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


# --- The people page: list, add, rename, forget ------------------------------------------------


class PersonLabelForm(forms.Form):
    label = forms.CharField(
        label=_("Name"),
        max_length=LABEL_LIMIT,
        strip=False,
        error_messages={
            "required": _("Write a name, a nickname or an initial."),
            "max_length": _("Keep this under %(limit_value)s characters."),
        },
    )

    def add_service_error(self, error: ValidationError) -> None:
        for message in error.messages:
            self.add_error("label", message)


def _people_with_counts(owner: User) -> list[Person]:
    """The owner's people, each with how many of their (not deleted) moments name them."""
    counted = people_of(owner=owner).annotate(
        moment_count=Count("moments", filter=Q(moments__deleted_at__isnull=True))
    )
    # A grouped query drops the model's ordering: oldest first, as everywhere else.
    return list(counted.order_by("created_at", "id"))


def _people_page(
    request: HttpRequest,
    *,
    form: PersonLabelForm,
    renaming: Person | None = None,
    rename_form: PersonLabelForm | None = None,
) -> HttpResponse:
    failed = bool(form.errors or (rename_form is not None and rename_form.errors))
    people = _people_with_counts(person_of(request))
    for person in people:
        # The row whose rename failed opens again, with what was typed and why it was refused.
        person.rename_form = rename_form if renaming and person.id == renaming.id else None  # type: ignore[attr-defined]
    return render(
        request,
        "journal/people.html",
        {
            "form": form,
            "people": people,
            "label_limit": LABEL_LIMIT,
        },
        status=400 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """The people in one's life, as private labels: add someone here, rename or forget them."""
    user = person_of(request)
    form = PersonLabelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _person, created = person_add(owner=user, label=form.cleaned_data["label"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            # Never the label in a message: messages may travel in a cookie.
            messages.success(
                request,
                _("Added. You can name them on any moment now.")
                if created
                else _("They are on your list already."),
            )
            return redirect("journal:people")
    return _people_page(request, form=form)


@require_POST
def person_rename_view(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    person = person_for(owner=user, id=id)
    form = PersonLabelForm(request.POST)
    if form.is_valid():
        try:
            person_rename(actor=user, person=person, label=form.cleaned_data["label"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Renamed. Every moment that names them shows the new name.")
            )
            return redirect("journal:people")
    # Shown again with the rename box open, what was typed still in it and the error beside it.
    return _people_page(request, form=PersonLabelForm(), renaming=person, rename_form=form)


@require_http_methods(["GET", "POST"])
def person_delete_view(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    """Ask first, saying what happens to the moments that name them; forget them on POST."""
    user = person_of(request)
    person = person_for(owner=user, id=id)
    if request.method == "POST":
        person_delete(actor=user, person=person)
        messages.success(
            request, _("Removed from your list. The moments that named them are still there.")
        )
        return redirect("journal:people")
    named = person.moments.filter(deleted_at__isnull=True).count()
    return render(request, "journal/person_delete.html", {"person": person, "named": named})
