"""The coaching API under /api/v1/coaching/: the same services and selectors as the pages.

* The practitioner's: a call's worksheet (``GET``/``PUT calls/{id}/worksheet``), handing it
  over and withdrawing, the client list and archiving, and what a client grants
  (``clients/{id}/shared``: the live grants; ``…/shared/{share_id}/map|summary|theme``: what
  one shows, read and audited as the client's page reads it, through ``coaching.shared``).
* The client's: maps handed to them (``maps``) and bringing items into their journal.

Anything not the caller's (or no longer shared with them) is the same 404 as nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.api.schemas import Problem
from tend.coaching import selectors, services, shared
from tend.coaching.models import LINE_FIELDS, HandOver, SessionNote, Worksheet
from tend.coaching.schemas import (
    ArchiveIn,
    BringIn,
    BroughtOut,
    ClientOut,
    GrantOut,
    HandedMapOut,
    HandOverSentOut,
    SessionNoteEditIn,
    SessionNoteIn,
    SessionNoteOut,
    WorksheetIn,
    WorksheetOut,
)
from tend.connections import scopes
from tend.connections.api import (
    SharedDetailOut,
    SharedPeriodParams,
    shared_detail_out,
    shared_picks,
)
from tend.connections.models import Share
from tend.connections.selectors import display_name
from tend.connections.share_services import share_viewed
from tend.insights.schemas import MapOut, map_out

router = Router(tags=["coaching"])


def _worksheet_out(sheet: Worksheet, *, saved: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        name: getattr(sheet, name)
        for name in (
            "moment_cue",
            "moment_states",
            "moment_region",
            "moment_intensity",
            "cues",
            "regions",
            "body_notes",
            "states",
            "pattern_notes",
            "story",
            "part",
            "needs",
            "helps",
        )
    }
    out.update({name: sheet.lines(name) for name in LINE_FIELDS})
    out.update(
        id=sheet.id if saved else None,
        call=sheet.booking_id,
        saved=saved,
        updated_at=sheet.updated_at if saved else None,
    )
    return out


def _map_out(handover: HandOver) -> dict[str, Any]:
    brought = set(handover.brought)
    return {
        "id": handover.id,
        "connection": handover.invitation.connection_id,
        "practitioner": display_name(handover.invitation.inviter),
        "brought_at": handover.brought_at,
        "items": [
            {"key": key, "kind": kind, "words": words, "brought": key in brought}
            for key, kind, words in services.handover_items(handover.worksheet)
        ],
    }


@router.get("/calls/{call_id}/worksheet", response=WorksheetOut, summary="A call's worksheet")
def worksheet_get(request: HttpRequest, call_id: str) -> Any:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=call_id)
    sheet = selectors.worksheet_for_call(viewer=user, booking=booking)
    if sheet is None:
        return _worksheet_out(services.worksheet_draft(actor=user, booking=booking), saved=False)
    return _worksheet_out(sheet, saved=True)


@router.put("/calls/{call_id}/worksheet", response=WorksheetOut, summary="Save a call's worksheet")
def worksheet_put(request: HttpRequest, call_id: str, body: WorksheetIn) -> Any:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=call_id)
    fields = body.model_dump(exclude_unset=True)
    for name in LINE_FIELDS:
        if name in fields:
            fields[name] = "\n".join(fields[name] or [])
    services.clean_worksheet(fields)
    sheet = selectors.worksheet_for_call(viewer=user, booking=booking)
    if sheet is None:
        sheet = services.worksheet_start(actor=user, booking=booking)
    services.worksheet_save(actor=user, worksheet=sheet, **fields)
    return _worksheet_out(sheet, saved=True)


@router.post(
    "/calls/{call_id}/worksheet/hand-over",
    response={201: HandOverSentOut},
    summary="Invite the person of the call to connect as client, carrying the worksheet",
)
def handover_send(request: HttpRequest, call_id: str) -> Any:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=call_id)
    sheet = selectors.worksheet_for_call(viewer=user, booking=booking)
    if sheet is None:
        raise Http404
    handover = services.handover_send(actor=user, worksheet=sheet)
    return Status(
        201,
        {
            "id": handover.id,
            "sent_at": handover.created_at,
            "expires_at": handover.invitation.expires_at,
        },
    )


@router.post(
    "/calls/{call_id}/worksheet/withdraw",
    response={204: None},
    summary="Withdraw the invitation that carries the worksheet",
)
def handover_withdraw(request: HttpRequest, call_id: str) -> Any:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=call_id)
    sheet = selectors.worksheet_for_call(viewer=user, booking=booking)
    if sheet is not None:
        services.handover_withdraw(actor=user, worksheet=sheet)
    return Status(204, None)


@router.get("/maps", response=list[HandedMapOut], summary="Maps handed to you")
def maps(request: HttpRequest) -> Any:
    return [_map_out(h) for h in selectors.handovers_for_client(viewer=person_of(request))[:100]]


@router.get("/maps/{map_id}", response=HandedMapOut, summary="A map handed to you")
def map_get(request: HttpRequest, map_id: str) -> Any:
    return _map_out(selectors.handover_for_client(viewer=person_of(request), id=map_id))


@router.post(
    "/maps/{map_id}/bring", response=BroughtOut, summary="Bring items into your own journal"
)
def map_bring(request: HttpRequest, map_id: str, body: BringIn) -> Any:
    user = person_of(request)
    handover = selectors.handover_for_client(viewer=user, id=map_id)
    brought = services.handover_bring(
        actor=user, handover=handover, items=body.items, file_under=body.file_under
    )
    return {"brought": brought, "map": _map_out(handover)}


def _client_out(client: selectors.Client) -> dict[str, Any]:
    return {
        "connection": client.connection.id,
        "name": client.name,
        "connected_at": client.since,
        "archived": client.archived,
        "next_call": client.next_call.id if client.next_call else None,
        "next_call_start": client.next_call.start if client.next_call else None,
        "shares": [{"id": s.id, "scope": s.scope} for s in client.shares],
        "worksheets": [w.id for w in client.worksheets],
    }


@router.get("/clients", response=list[ClientOut], summary="Your clients")
def clients(request: HttpRequest) -> Any:
    return [_client_out(c) for c in selectors.clients_of(viewer=person_of(request))]


@router.post(
    "/clients/{connection_id}/archive", response=ClientOut, summary="Archive a client, or not"
)
def client_archive(request: HttpRequest, connection_id: str, body: ArchiveIn) -> Any:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=connection_id)
    services.client_archive(actor=user, connection=connection, archived=body.archived)
    found = next(c for c in selectors.clients_of(viewer=user) if c.connection.id == connection.id)
    return _client_out(found)


def _note_out(note: SessionNote) -> dict[str, Any]:
    return {
        "id": note.id,
        "client_connection": note.connection_id,
        "call": note.booking_id,
        "text": note.text,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


@router.get(
    "/clients/{connection_id}/notes",
    response=list[SessionNoteOut],
    summary="Your private notes about a client",
)
def notes(request: HttpRequest, connection_id: str) -> Any:
    user = person_of(request)
    client = selectors.client_of(viewer=user, id=connection_id)
    return [
        _note_out(n) for n in selectors.session_notes_of(viewer=user, connection=client.connection)
    ]


@router.post(
    "/clients/{connection_id}/notes",
    response={201: SessionNoteOut},
    summary="Add a private note about a client",
)
def note_add(request: HttpRequest, connection_id: str, body: SessionNoteIn) -> Any:
    user = person_of(request)
    client = selectors.client_of(viewer=user, id=connection_id)
    call = None
    if body.call is not None:
        call = next(
            (b for b in selectors.calls_with(viewer=user, client=client) if b.id == body.call), None
        )
        if call is None:
            raise ValidationError({"call": _("Choose one of your calls with them.")})
    note = services.session_note_add(
        actor=user, connection=client.connection, text=body.text, booking=call
    )
    return Status(201, _note_out(note))


@router.put("/notes/{note_id}", response=SessionNoteOut, summary="Change a private note")
def note_edit(request: HttpRequest, note_id: str, body: SessionNoteEditIn) -> Any:
    user = person_of(request)
    note = selectors.session_note_of(viewer=user, id=note_id)
    return _note_out(services.session_note_edit(actor=user, note=note, text=body.text))


@router.delete("/notes/{note_id}", response={204: None}, summary="Delete a private note")
def note_delete(request: HttpRequest, note_id: str) -> Any:
    user = person_of(request)
    services.session_note_delete(
        actor=user, note=selectors.session_note_of(viewer=user, id=note_id)
    )
    return Status(204, None)


# --- What a client grants ------------------------------------------------------------------


def _grant(request: HttpRequest, connection_id: str, share_id: str, scope: str) -> tuple[User, Any]:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=connection_id)
    return user, shared.grant_of(viewer=user, connection=connection, id=share_id, scope=scope)


def _read(user: User, grant: Any, params: SharedPeriodParams) -> Any:
    """What the grant shows for the period asked, recorded as one view; or a 422 problem."""
    picks = shared_picks(params)
    if isinstance(picks, HttpResponse):
        return picks
    view = scopes.shared_view(viewer=user, share=grant, picks=picks)
    if view is None:
        raise Http404
    share_viewed(viewer=user, share=grant, period=view.period)
    return view


@router.get(
    "/clients/{connection_id}/shared",
    response=list[GrantOut],
    summary="What a client grants you",
    description="The client's live shares with you: their scopes, never what they show. "
    "Revoked, expired or ended: gone from the next request.",
)
def grants(request: HttpRequest, connection_id: str) -> Any:
    user = person_of(request)
    connection = selectors.client_connection_of(viewer=user, id=connection_id)
    return list(shared.grants_of(viewer=user, connection=connection))


@router.get(
    "/clients/{connection_id}/shared/{share_id}/map",
    response={200: MapOut, 422: Problem},
    by_alias=True,
    summary="A client's shared trigger map",
    description="For `period` (7, 30 or 90 days). The client sees that you looked, and for "
    "which period.",
)
def grant_map(
    request: HttpRequest, connection_id: str, share_id: str, params: Query[SharedPeriodParams]
) -> Any:
    user, grant = _grant(request, connection_id, share_id, Share.Scope.TRIGGER_MAP)
    view = _read(user, grant, params)
    return view if isinstance(view, HttpResponse) else map_out(view.map)


@router.get(
    "/clients/{connection_id}/shared/{share_id}/summary",
    response={200: dict[str, Any], 422: Problem},
    summary="A client's shared weekly summary",
    description="For `week` (0 the last seven days, up to 11): counts, states, themes, what "
    "helped; stories only if the client chose them.",
)
def grant_summary(
    request: HttpRequest, connection_id: str, share_id: str, params: Query[SharedPeriodParams]
) -> Any:
    user, grant = _grant(request, connection_id, share_id, Share.Scope.WEEKLY_SUMMARY)
    view = _read(user, grant, params)
    return view if isinstance(view, HttpResponse) else view.summary


@router.get(
    "/clients/{connection_id}/shared/{share_id}/theme",
    response=SharedDetailOut,
    summary="A theme a client shares, with its moments",
)
def grant_theme(request: HttpRequest, connection_id: str, share_id: str) -> Any:
    user, grant = _grant(request, connection_id, share_id, Share.Scope.THEME)
    view = scopes.shared_view(viewer=user, share=grant)
    share_viewed(viewer=user, share=grant)
    return shared_detail_out(grant, view)


# Suggestions and shared practice progress (tend/coaching/homework_api.py), under the same prefix.
from tend.coaching.homework_api import router as homework_router  # noqa: E402

router.add_router("", homework_router)
