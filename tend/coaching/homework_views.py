"""Pages of suggestions ("practices as homework"): the practitioner suggests and withdraws on the
client page; the client sets one aside ("Not for me"). Thin: parse, call, redirect.

``client_homework`` builds what the client page's include (``coaching/_homework.html``) draws:
the practitioner's suggestions to this client, the suggest form's choices and, only while the
client shares it, their practice progress (each time, a recorded view).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.coaching import selectors, suggestion_selectors
from tend.coaching.models import SUGGESTION_NOTE_MAX, Suggestion
from tend.coaching.progress import progress_for
from tend.coaching.suggestions import suggestion_create, suggestion_decline, suggestion_withdraw
from tend.connections.models import Connection
from tend.practices import catalogue
from tend.practices.selectors import custom_practices_of
from tend.rituals.forms import WEEKDAYS


def practice_choices(user: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """The suggest form's practices: the library by kind, then the practitioner's own."""
    groups = [
        (str(label), [(p.code, str(p.title)) for p in catalogue.PRACTICES if p.kind == code])
        for code, label in catalogue.KINDS
    ]
    own = [(f"{catalogue.CUSTOM}:{c.id}", c.name) for c in custom_practices_of(viewer=user)]
    if own:
        groups.append((_("Your own practices"), own))
    return groups


def client_homework(*, viewer: User, connection: Connection, active: bool) -> dict[str, Any]:
    """What the client page shows of suggestions and progress (see the module's docstring)."""
    suggested = [
        (s, suggestion_selectors.practice_of(s))
        for s in suggestion_selectors.suggestions_of(viewer=viewer, connection=connection)
    ]
    try:
        progress = progress_for(viewer=viewer, connection=connection) if active else None
    except Http404:
        progress = None
    return {
        "connection": connection,
        "active": active,
        "live": [(s, p) for s, p in suggested if s.is_live],
        "earlier": [(s, p) for s, p in suggested if not s.is_live][:20],
        "choices": practice_choices(viewer) if active else [],
        "weekdays": WEEKDAYS,
        "note_max": SUGGESTION_NOTE_MAX,
        "progress": progress,
    }


@require_POST
def suggest(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=id)
    try:
        suggestion_create(
            actor=user,
            connection=connection,
            practice=request.POST.get("practice", ""),
            rhythm=request.POST.get("rhythm", "once"),
            days=request.POST.getlist("days"),
            note=request.POST.get("note", ""),
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("Suggested. They see it as a gentle suggestion and may set it aside."),
        )
    return redirect(f"{_client_url(connection)}#homework-heading")


def _client_url(connection: Connection) -> str:
    from django.urls import reverse

    return reverse("coaching:client", kwargs={"id": connection.id})


@require_POST
def withdraw(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    found = suggestion_selectors.suggestion_of(viewer=user, id=id)
    if suggestion_withdraw(actor=user, suggestion=found):
        messages.success(request, _("Withdrawn. They no longer see it."))
    return redirect(f"{_client_url(found.connection)}#homework-heading")


@require_POST
def decline(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    found: Suggestion = suggestion_selectors.suggestion_for_client(viewer=user, id=id)
    try:
        suggestion_decline(actor=user, suggestion=found, reason=request.POST.get("reason", ""))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Set aside. That is completely fine."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("home")


def start_url(suggestion: Suggestion) -> str:
    """The practice player with the suggested practice (a custom one through the selector that
    checks the live suggestion)."""
    from tend.practices.views import player_url

    return player_url(suggestion_selectors.practice_of(suggestion))
