"""Coaching pages: the call's worksheet (practitioner), the handed-over map (client), clients.

Thin: parse, call a service or a selector, render. Every read of a row goes through
``tend.coaching.selectors``, so anything not the viewer's is the same 404 as nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.booking.words import when_words
from tend.coaching import selectors, services, shared
from tend.coaching.homework_views import client_homework
from tend.coaching.models import NOTE_MAX, TEXT_FIELDS, TEXT_LIMITS, Worksheet
from tend.connections.selectors import display_name
from tend.journal import vocabulary

CODE_LISTS = ("states", "regions", "needs", "moment_states")


def _posted(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {name: request.POST.get(name, "") for name in TEXT_FIELDS}
    for name in CODE_LISTS:
        data[name] = request.POST.getlist(name)
    data["moment_region"] = request.POST.get("moment_region", "")
    data["moment_intensity"] = request.POST.get("moment_intensity", "")
    return data


def _values(worksheet: Worksheet) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(worksheet, name) for name in TEXT_FIELDS}
    for name in CODE_LISTS:
        values[name] = list(getattr(worksheet, name))
    values["moment_region"] = worksheet.moment_region
    intensity = worksheet.moment_intensity
    values["moment_intensity"] = "" if intensity is None else str(intensity)
    return values


def _zone(user: User) -> str:
    profile = getattr(user, "practitioner_profile", None)
    return profile.time_zone if profile is not None else user.time_zone


@require_http_methods(["GET", "POST"])
def worksheet(request: HttpRequest, id: Any) -> HttpResponse:
    """The call's trigger-mapping worksheet: prefilled from the intake until first saved."""
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=id)
    sheet = selectors.worksheet_for_call(viewer=user, booking=booking)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = _posted(request)
        try:
            services.clean_worksheet(data)
        except ValidationError as error:
            errors = error.message_dict
            values = data
        else:
            if sheet is None:
                sheet = services.worksheet_start(actor=user, booking=booking)
            services.worksheet_save(actor=user, worksheet=sheet, **data)
            messages.success(request, _("The worksheet is saved. Only you can read it."))
            return redirect("coaching:worksheet", id=booking.id)
    else:
        values = _values(sheet or services.worksheet_draft(actor=user, booking=booking))
    handovers = (
        list(selectors.handovers_of_worksheet(viewer=user, worksheet=sheet)) if sheet else []
    )
    return render(
        request,
        "coaching/worksheet.html",
        {
            "booking": booking,
            "worksheet": sheet,
            "values": values,
            "errors": errors,
            "when": when_words(booking.start, _zone(user)),
            "states": vocabulary.STATES,
            "patterns": [t for t in vocabulary.STATES if t.code != "connected"],
            "regions": vocabulary.REGIONS,
            "needs": vocabulary.NEEDS,
            "intensities": range(11),
            "limits": TEXT_LIMITS,
            "handover": handovers[0] if handovers else None,
            "open_handover": services.open_handover(sheet) if sheet else None,
        },
        status=400 if errors else 200,
    )


@require_POST
def handover_send(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=id)
    sheet = selectors.worksheet_for_call(viewer=user, booking=booking)
    if sheet is None:
        messages.error(request, _("Save the worksheet first; then you can hand it over."))
        return redirect("coaching:worksheet", id=booking.id)
    try:
        services.handover_send(actor=user, worksheet=sheet)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Sent. They get an email with a link that names nobody; the map waits for them "
                "for 7 days."
            ),
        )
    return redirect("coaching:worksheet", id=booking.id)


@require_POST
def handover_withdraw(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=id)
    sheet = selectors.worksheet_for_call(viewer=user, booking=booking)
    if sheet is not None and services.handover_withdraw(actor=user, worksheet=sheet):
        messages.success(request, _("Withdrawn. The link no longer works."))
    return redirect("coaching:worksheet", id=booking.id)


# --- The client's side ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, id: Any) -> HttpResponse:
    """The map a practitioner handed over: the client chooses what to bring into their journal."""
    user = person_of(request)
    found = selectors.handover_for_client(viewer=user, id=id)
    sheet = found.worksheet
    items = services.handover_items(sheet)
    chosen: list[str] = []
    file_under = ""
    error = ""
    if request.method == "POST":
        chosen = request.POST.getlist("items")
        file_under = request.POST.get("file_under", "")
        try:
            new = services.handover_bring(
                actor=user, handover=found, items=chosen, file_under=file_under
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d item is in your journal now. It is yours.",
                    "%(n)d items are in your journal now. They are yours.",
                    len(new),
                )
                % {"n": len(new)},
            )
            return redirect("coaching:handover", id=found.id)
    brought = set(found.brought)
    return render(
        request,
        "coaching/handover.html",
        {
            "handover": found,
            "worksheet": sheet,
            "practitioner": display_name(found.invitation.inviter),
            "moment_items": [i for i in items if i[1] in ("moment", *services.MOMENT_PARTS)],
            "theme_items": [i for i in items if i[1] == "theme"],
            "need_items": [i for i in items if i[1] == "need"],
            "person_items": [i for i in items if i[1] == "person"],
            "moment_states": [vocabulary.label("states", s) for s in sheet.moment_states],
            "moment_region": vocabulary.label("regions", sheet.moment_region)
            if sheet.moment_region
            else "",
            "brought": brought,
            "chosen": set(chosen),
            "file_under": file_under,
            "error": error,
            "can_file": sheet.has_moment and "moment" not in brought,
            "everything_brought": all(key in brought for key, _k, _w in items),
        },
        status=400 if error else 200,
    )


# --- Clients --------------------------------------------------------------------------------


def clients(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    listed = selectors.clients_of(viewer=user)
    zone = _zone(user)
    for client in listed:
        if client.next_call is not None:
            client.next_words = when_words(client.next_call.start, zone)
    return render(
        request,
        "coaching/clients.html",
        {
            "clients": [c for c in listed if not c.archived],
            "archived": [c for c in listed if c.archived],
            "former": selectors.former_clients_of(viewer=user),
        },
    )


@require_POST
def client_archive(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=id)
    archived = request.POST.get("archived", "1") != "0"
    services.client_archive(actor=user, connection=connection, archived=archived)
    messages.success(
        request,
        _("Moved to your archive. Nothing changes for them.")
        if archived
        else _("Back in your list of clients."),
    )
    return redirect("coaching:clients")


@require_http_methods(["GET", "POST"])
def client_detail(request: HttpRequest, id: Any) -> HttpResponse:
    """One client: what they share now (in place), your calls and worksheets, your private notes.

    POST adds a note; a refused note comes back with what was typed.
    """
    user = person_of(request)
    client = selectors.client_of(viewer=user, id=id)
    calls = selectors.calls_with(viewer=user, client=client)
    zone = _zone(user)
    error = ""
    typed = ""
    if request.method == "POST":
        typed = request.POST.get("text", "")
        call_id = request.POST.get("call", "")
        call = next((b for b in calls if str(b.id) == call_id), None)
        try:
            services.session_note_add(
                actor=user, connection=client.connection, text=typed, booking=call
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Your note is saved. Only you can read it."))
            return redirect("coaching:client", id=client.connection.id)
    if client.next_call is not None:
        client.next_words = when_words(client.next_call.start, zone)
    active = client.connection.status == "active"
    return render(
        request,
        "coaching/client.html",
        {
            "client": client,
            "active": active,
            # What they grant, in place, for ?period= and ?week= (each section one audited view).
            **(
                shared.page_context(viewer=user, connection=client.connection, query=request.GET)
                if active
                else {}
            ),
            "calls": [(b, when_words(b.start, zone)) for b in calls],
            "notes": selectors.session_notes_of(viewer=user, connection=client.connection),
            "error": error,
            "typed": typed,
            "note_max": NOTE_MAX,
            "homework": client_homework(
                viewer=user, connection=client.connection, active=client.connection.is_active
            ),
        },
        status=400 if error else 200,
    )


@require_POST
def note_edit(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    note = selectors.session_note_of(viewer=user, id=id)
    try:
        services.session_note_edit(actor=user, note=note, text=request.POST.get("text", ""))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Your note is saved. Only you can read it."))
    if note.connection_id is None:
        return redirect("coaching:clients")
    return redirect("coaching:client", id=note.connection_id)


@require_POST
def note_delete(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    note = selectors.session_note_of(viewer=user, id=id)
    connection_id = note.connection_id
    services.session_note_delete(actor=user, note=note)
    messages.success(request, _("The note is deleted."))
    if connection_id is None:
        return redirect("coaching:clients")
    return redirect("coaching:client", id=connection_id)
