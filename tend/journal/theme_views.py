"""Pages for themes: the list (create, rename, archive), and the suggestion line on the edit form.

The theme picker on "Add more or change" is built here too (``add_theme_fields``), so that the
moment form and its view need only a line each to offer it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.journal.models import Moment, Theme
from tend.journal.suggest import Suggestion, suggest_themes
from tend.journal.themes import (
    NAME_LIMIT,
    moment_file,
    theme_archive,
    theme_create,
    theme_for,
    theme_rename,
    themes_of,
)
from tend.journal.validation import TEXT_LIMITS

THEME_FIELDS = ("theme", "new_theme")


class ThemeNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_LIMIT,
        error_messages={"required": gettext_lazy("Give the theme a name of a few words.")},
    )

    def add_service_error(self, error: ValidationError) -> None:
        for field, errors in error.message_dict.items():
            for message in errors:
                self.add_error("name" if field == "name" else None, message)


@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest) -> HttpResponse:
    """The person's themes with how many moments each holds; a new one is named here."""
    user = person_of(request)
    form = ThemeNameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            theme_create(actor=user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Theme added. You can file moments under it now."))
            return redirect("journal:themes")
    all_themes = list(themes_of(viewer=user))
    return render(
        request,
        "journal/themes.html",
        {
            "form": form,
            "active": [t for t in all_themes if not t.archived],
            "archived": [t for t in all_themes if t.archived],
            "name_limit": NAME_LIMIT,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def theme_rename_view(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    theme = theme_for(viewer=user, id=id)
    form = ThemeNameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"name": form.errors.get("name", [])})
        theme_rename(actor=user, theme=theme, name=form.cleaned_data["name"])
    except ValidationError as error:
        # Shown at the top of the list: the rename box sits in a small disclosure.
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Theme renamed."))
    return redirect("journal:themes")


@require_POST
def theme_archive_view(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    theme = theme_for(viewer=user, id=id)
    archived = request.POST.get("archived", "1") != "0"
    theme_archive(actor=user, theme=theme, archived=archived)
    messages.success(
        request,
        _("Theme archived. Its moments keep it.") if archived else _("Theme brought back."),
    )
    return redirect("journal:themes")


@require_POST
def theme_suggest_view(request: HttpRequest) -> HttpResponse:
    """The suggestion line under the cue, for themes.js. POST, so the words stay out of URLs and
    logs."""
    user = person_of(request)
    cue = request.POST.get("cue", "")[: TEXT_LIMITS["cue"]]
    exclude = None
    try:
        exclude = uuid.UUID(request.POST.get("moment", ""))
    except ValueError:
        exclude = None
    return render(
        request,
        "journal/_theme_suggestions.html",
        {"suggestions": suggest_themes(viewer=user, cue=cue, exclude_moment=exclude)},
    )


# --- The picker on the moment form -------------------------------------------------------------


def add_theme_fields(form: forms.Form, *, viewer: User, moment: Moment) -> None:
    """Give the moment form a choice among the person's themes and a box to name a new one."""
    choices: list[tuple[str, str]] = [("", _("No theme"))]
    for theme in themes_of(viewer=viewer):
        # An archived theme is offered only to the moment already filed under it.
        if not theme.archived or theme.id == moment.theme_id:
            choices.append((str(theme.id), theme.name))
    form.fields["theme"] = forms.ChoiceField(
        label=_("File it under"),
        required=False,
        choices=choices,
        help_text=_("A pattern you keep meeting, such as “phone at dinner”."),
        error_messages={"invalid_choice": _("Choose one of your own themes.")},
    )
    form.fields["new_theme"] = forms.CharField(
        label=_("Or name a new theme"),
        required=False,
        max_length=NAME_LIMIT,
    )
    form.initial["theme"] = str(moment.theme_id) if moment.theme_id else ""


def pop_theme_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Take the picker's answers out of what goes to ``moment_update``."""
    return {name: fields.pop(name) for name in THEME_FIELDS if name in fields}


def file_from_form(
    *, actor: User, moment: Moment, theme: Any = None, new_theme: Any = None
) -> None:
    """File the moment as the picker says; a new name makes (or finds) that theme first.

    Call it in the same transaction as the rest of the save, so a theme is only made if the
    moment saves too. Errors name the picker's fields.
    """
    name = (new_theme or "").strip() if isinstance(new_theme, str) else ""
    if name:
        existing = next(
            (
                t
                for t in themes_of(viewer=actor)
                if t.name.casefold() == " ".join(name.split()).casefold()
            ),
            None,
        )
        try:
            chosen: Theme | str | None = existing or theme_create(actor=actor, name=name)
            if existing is not None and existing.archived:
                theme_archive(actor=actor, theme=existing, archived=False)
        except ValidationError as error:
            raise ValidationError({"new_theme": error.messages}) from None
    elif theme is None:
        return  # the picker was left as it was
    else:
        chosen = theme or None
    moment_file(actor=actor, moment=moment, theme=chosen)


def suggestions_for(*, viewer: User, moment: Moment) -> list[Suggestion]:
    """Suggestions shown on the edit page itself, for a moment not yet filed (works without JS)."""
    if moment.theme_id is not None or not moment.cue:
        return []
    return suggest_themes(viewer=viewer, cue=moment.cue, exclude_moment=moment.id)
