"""The journal's pages: quick capture, the timeline, one moment, edit, delete and undo."""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.journal import vocabulary
from tend.journal.filters import SEARCH_SCAN_LIMIT, MomentFilterForm, moments_search
from tend.journal.forms import CaptureForm, ChipSelect, MomentForm
from tend.journal.history import versions_of
from tend.journal.models import Moment
from tend.journal.people import people_of
from tend.journal.people_views import add_people_fields, take_new_person
from tend.journal.selectors import moment_for, moments_of, own_labels, own_vocabulary
from tend.journal.services import (
    UNDO_WINDOW,
    IdempotencyConflict,
    RestoreExpired,
    moment_delete,
    moment_log,
    moment_restore,
    moment_update,
    vocabulary_entry_add,
)
from tend.journal.theme_views import (
    add_theme_fields,
    file_from_form,
    pop_theme_fields,
    suggestions_for,
)
from tend.journal.themes import themes_of

PAGE_SIZE = 25
UNDO_SESSION_KEY = "journal_undo"


def _days(moments: list[Moment], tz: dt.tzinfo) -> list[dict[str, Any]]:
    """Group moments by the day they happened in the person's own time zone."""
    today = timezone.localtime(timezone.now(), tz).date()
    days = []
    for day, items in groupby(moments, key=lambda m: timezone.localtime(m.occurred_at, tz).date()):
        if day == today:
            title = _("Today")
        elif day == today - dt.timedelta(days=1):
            title = _("Yesterday")
        else:
            title = ""
        days.append({"date": day, "title": title, "moments": list(items)})
    return days


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    filters = MomentFilterForm(request.GET, viewer=user)
    filters.is_valid()  # a filter with an error is shown next to its box and left out
    wanted = filters.to_filter()
    found = moments_search(viewer=user, filters=wanted)
    page = Paginator(found.moments, PAGE_SIZE).get_page(request.GET.get("page"))
    # The pager's links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    undo = None
    undo_id = request.session.pop(UNDO_SESSION_KEY, None)
    if undo_id:
        try:
            undo = moment_for(viewer=user, id=undo_id, deleted=True)
        except Http404:  # restored or purged since: nothing to undo.
            undo = None
    return render(
        request,
        "journal/index.html",
        {
            "page": page,
            "days": _days(list(page.object_list), user.tz),
            "undo": undo,
            "filters": filters,
            "found": found,
            "filters_active": wanted.active,
            "has_moments": wanted.active or moments_of(viewer=user).exists(),
            "page_query": f"{query.urlencode()}&" if query else "",
            "scan_limit": SEARCH_SCAN_LIMIT,
        },
    )


def _add_who_fields(form: CaptureForm, *, owner: User) -> bool:
    """The optional "who, and which theme" row of quick capture; False if there is nothing to pick.

    Only people and themes the person already has: naming someone new waits for "Add more".
    """
    people = [(str(p.id), p.label) for p in people_of(owner=owner)]
    own_themes = list(themes_of(viewer=owner))
    themes = [(str(t.id), t.name) for t in own_themes if not t.archived]
    form.fields["people"] = forms.MultipleChoiceField(
        label=_("Who was part of it?"),
        required=False,
        choices=people,
        widget=ChipSelect,
        error_messages={"invalid_choice": _("Choose from the people shown.")},
    )
    form.fields["theme"] = OwnThemeField(
        label=_("File it under"),
        required=False,
        choices=[("", _("No theme")), *themes],
        error_messages={"invalid_choice": _("Choose one of your own themes.")},
        own={str(t.id) for t in own_themes},
    )
    return bool(people or themes)


class OwnThemeField(forms.ChoiceField):
    """Offers the themes that take new moments; accepts any of the person's own themes.

    Whether an archived one may be used is the service's rule, not the picker's: a form sent
    again after its theme was archived is a retry, answered with the moment it already made.
    """

    def __init__(self, *args: Any, own: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own = own

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.own or super().valid_value(value)


@require_http_methods(["GET", "POST"])
def capture(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or "activation"
    kind = kind if kind in ("activation", "glimmer") else "activation"
    form = CaptureForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        initial={"kind": kind, "idempotency_key": str(uuid.uuid4())},
    )
    # On a GET the row is fetched by the page itself (capture_who): the service worker keeps
    # this page for offline use, so it must hold nothing personal, such as people's names.
    who = _add_who_fields(form, owner=user) if request.method == "POST" else False
    if request.method == "POST" and form.is_valid():
        try:
            moment, _created = moment_log(
                author=user,
                # A form from before keys (an old cached page) logs as it always did.
                idempotency_key=form.cleaned_data["idempotency_key"] or None,
                **form.fields_for_service(),
            )
        except IdempotencyConflict:
            # The same form, saved once already and now sent with other words (back, edit,
            # save): say so, and give it a new key so that saving again logs a new moment.
            data = request.POST.copy()
            data["idempotency_key"] = str(uuid.uuid4())
            form.data = data
            form.add_error(
                None,
                _(
                    "This form was already saved as a moment, with other words. Save again to "
                    "log this as a new moment."
                ),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Glimmer saved. Thank you for noticing it.")
                if moment.is_glimmer
                else _("Saved. You can add more now, later, or not at all."),
            )
            return redirect("journal:detail", id=moment.id)
    # An error about who or which theme is shown beside them, even with nothing left to pick.
    who = who or any(name in form.errors for name in ("people", "theme"))
    return render(
        request,
        "journal/capture.html",
        {"form": form, "kind": kind, "who": who},
        status=(400 if form.errors else 200),
    )


@require_http_methods(["GET"])
def capture_who(request: HttpRequest) -> HttpResponse:
    """The "who, and which theme" row for the capture page, or nothing if there is none to pick."""
    form = CaptureForm()
    if not _add_who_fields(form, owner=person_of(request)):
        return HttpResponse("")
    return render(request, "journal/_capture_who.html", {"form": form})


@require_http_methods(["GET"])
def detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    moment = moment_for(viewer=user, id=id)
    labels = own_labels(owner=user) if moment.needs or moment.contexts else {}
    return render(
        request,
        "journal/detail.html",
        {
            "moment": moment,
            "needs": [labels.get(c) or vocabulary.label("needs", c) for c in moment.needs],
            "contexts": [labels.get(c) or vocabulary.label("contexts", c) for c in moment.contexts],
            "versions": list(versions_of(moment=moment)),
        },
    )


def _initial(moment: Moment) -> dict[str, Any]:
    initial = {
        name: getattr(moment, name)
        for name in MomentForm.base_fields
        if name not in MomentForm.OWN_ENTRY_FIELDS
    }
    # The form shows minutes; without the seconds an untouched time does not count as a change.
    initial["occurred_at"] = timezone.localtime(moment.occurred_at).replace(second=0, microsecond=0)
    for name in ("intensity", "intensity_after"):
        initial[name] = "" if initial[name] is None else str(initial[name])
    return initial


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    moment = moment_for(viewer=user, id=id)
    own: dict[str, list[tuple[str, str]]] = {
        kind: [(e.code, e.label) for e in own_vocabulary(owner=user, kind=kind)]
        for kind in ("needs", "contexts")
    }
    form = MomentForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(moment),
        own_choices=own,
        kind=moment.kind,
    )
    add_theme_fields(form, viewer=user, moment=moment)
    add_people_fields(form, owner=user, moment=moment)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        filing = pop_theme_fields(fields)
        try:
            # A new entry is only kept if the moment saves too.
            with transaction.atomic():
                for name, kind in MomentForm.OWN_ENTRY_FIELDS.items():
                    label = fields.pop(name, "")
                    if label and label.strip():
                        try:
                            entry, _new = vocabulary_entry_add(owner=user, kind=kind, label=label)
                        except ValidationError as error:
                            # Shown next to the box it was typed in.
                            raise ValidationError({name: error.messages}) from None
                        chosen = fields.get(kind, form.cleaned_data[kind])
                        fields[kind] = [*chosen, entry.code]
                take_new_person(fields, owner=user, form=form)
                moment_update(actor=user, moment=moment, **fields)
                file_from_form(actor=user, moment=moment, **filing)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("journal:detail", id=moment.id)
    return render(
        request,
        "journal/edit.html",
        {
            "form": form,
            "moment": moment,
            # Without JavaScript, the saved cue's suggestion is shown here after saving.
            "theme_suggestions": suggestions_for(viewer=user, moment=moment),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def delete(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    moment = moment_delete(actor=user, moment=moment_for(viewer=user, id=id))
    request.session[UNDO_SESSION_KEY] = str(moment.id)
    return redirect("journal:index")


@require_POST
def restore(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    moment = moment_for(viewer=user, id=id, deleted=True)
    try:
        moment_restore(actor=user, moment=moment)
    except RestoreExpired:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        messages.error(
            request,
            _("This moment was deleted more than %(minutes)s minutes ago and can't come back.")
            % {"minutes": minutes},
        )
        return redirect("journal:index")
    messages.success(request, _("The moment is back."))
    return redirect("journal:detail", id=moment.id)
