"""The connections API: connections, invitations, shares and shared-with-me.

Four routers, mounted in tend/api/routes.py at /connections, /invitations, /shares and
/shared-with-me. Handlers stay thin: writes in services.py, reads in selectors.py; everything
someone else owns is read through a ``*_visible_to`` selector (404 when not, or no longer, visible).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router, Status
from ninja import Schema as OutSchema
from pydantic import Field

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.api.errors import problem
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import Page, Problem, Schema
from tend.connections import scopes, selectors, services, share_services
from tend.connections.models import Connection, Invitation, Kind, PolyculeSetting, Share
from tend.connections.summary import MAP_DAYS, map_days, summary_week
from tend.insights.schemas import map_out
from tend.journal.models import Moment

router = Router(tags=["connections"])
invitations_router = Router(tags=["invitations"])
shares_router = Router(tags=["shares"])
shared_router = Router(tags=["shared with me"])


# --- Schemas --------------------------------------------------------------------------------


class ConnectionPersonOut(OutSchema):
    id: uuid.UUID
    name: str


class ConnectionOut(OutSchema):
    id: uuid.UUID
    kind: str = Field(description=f"One of: {', '.join(Kind.values)}.")
    other: ConnectionPersonOut
    label: str = Field(description="Your private label for them; only you see it.")
    created_at: datetime


class EndIn(Schema):
    quietly: bool = Field(default=False, description="True: Tend sends them no notice.")


class LabelIn(Schema):
    label: str = Field(max_length=services.LABEL_MAX, description="Empty removes it.")


class PolyculeNodeOut(OutSchema):
    id: uuid.UUID
    name: str
    kind: str
    via: uuid.UUID | None = Field(description="Null for your own connections.")


class PolyculeOut(OutSchema):
    nodes: list[PolyculeNodeOut]


class VisibilityIn(Schema):
    appear_to_metamours: str = Field(description=", ".join(PolyculeSetting.Appear.values))
    show_my_connections: bool


class SafetyCheckIn(Schema):
    confirm: Literal[True] = Field(description="Must be true: this cannot be undone.")


class SafetyCheckOut(OutSchema):
    counts: dict[str, int]


class InvitationIn(Schema):
    kind: str = Field(description=f"One of: {', '.join(Kind.values)}.")
    email: str = Field(default="", max_length=254, description="Optional; the email names nobody.")
    days: int = Field(default=7, ge=1, le=7)


class InvitationOut(OutSchema):
    id: uuid.UUID
    kind: str
    email: str
    created_at: datetime
    expires_at: datetime


class InvitationCreatedOut(InvitationOut):
    url: str = Field(description="The link, shown once. Only its hash is stored.")
    token: str


class AcceptIn(Schema):
    token: str = Field(min_length=1, max_length=200)


class ShareIn(Schema):
    connection_id: uuid.UUID
    scope: str = Field(description=", ".join(Share.Scope.values))
    moment_id: uuid.UUID | None = None
    theme_id: uuid.UUID | None = None
    note: str = Field(default="", max_length=share_services.NOTE_MAX)
    expires_at: datetime | None = None
    include_stories: bool = False


class ShareOut(OutSchema):
    id: uuid.UUID
    connection_id: uuid.UUID
    recipient: ConnectionPersonOut
    scope: str
    moment_id: uuid.UUID | None
    theme_id: uuid.UUID | None
    include_stories: bool
    note: str
    created_at: datetime
    expires_at: datetime | None


class ShareViewOut(OutSchema):
    share_id: str
    viewer: ConnectionPersonOut | None
    scope: str
    moment_id: str | None
    at: datetime


class RevokedOut(OutSchema):
    revoked: int


class SharedOut(OutSchema):
    id: uuid.UUID
    owner: ConnectionPersonOut
    scope: str
    note: str
    theme_name: str | None
    created_at: datetime
    expires_at: datetime | None


class SharedMomentOut(OutSchema):
    id: uuid.UUID
    kind: str
    occurred_at: datetime
    theme_name: str | None
    states: list[str]
    intensity: int | None
    intensity_after: int | None
    body: list[Any]
    needs: list[str]
    contexts: list[str]
    cue: str
    story: str
    part: str
    helped: str


class SharedDetailOut(SharedOut):
    moments: list[SharedMomentOut] | None = None
    summary: dict[str, Any] | None = Field(
        default=None,
        description="Counts, states, themes, what helped; stories if chosen (for `week`).",
    )
    # A plain object rather than MapOut: the OpenAPI document keeps one MapOut, with the
    # aliases (`from`, `to`) of the endpoints that return one.
    map: dict[str, Any] | None = Field(
        default=None,
        description="The trigger map for `period`, in the shape of `GET /insights/map`, "
        "without the people named, the repeated urges and actions and the glimmers' cues.",
    )


class SharedPeriodParams(OutSchema):
    """How far back to read a shared map or summary; a share reaches 90 days at most."""

    period: int | None = Field(
        default=None,
        description="A trigger map: the last 7, 30 or 90 days, in its owner's time zone "
        "(default 90).",
    )
    week: int | None = Field(
        default=None,
        description="A weekly summary: 0 for the last seven days (the default), 1 to 11 for "
        "the seven-day spans before it.",
    )


def shared_picks(params: SharedPeriodParams) -> scopes.Picks | HttpResponse:
    """The period asked for, or a 422 problem for one no share reaches."""
    days = MAP_DAYS if params.period is None else map_days(params.period)
    week = 0 if params.week is None else summary_week(params.week)
    if days is None or week is None:
        where, message = (
            ("query.period", gettext("Choose 7, 30 or 90 days."))
            if days is None
            else ("query.week", gettext("Choose a week from 0 (the last seven days) to 11."))
        )
        return problem(422, message, errors=[{"location": where, "message": message}])
    return scopes.Picks(days=days, week=week)


def shared_detail_out(share: Share, view: scopes.SharedView | None) -> dict[str, Any]:
    """What one share shows, as ``SharedDetailOut``: the same for its every reader."""
    out = _shared_out(share)
    if view is not None:
        if view.moments is not None:
            out["moments"] = [moment_out(m) for m in view.moments]
        if view.summary is not None:
            out["summary"] = view.summary
        if view.map is not None:
            out["map"] = map_out(view.map)
    return out


# --- Helpers --------------------------------------------------------------------------------


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": selectors.display_name(user)}


def _connection_out(
    connection: Connection, viewer: User, labels: dict[uuid.UUID, str]
) -> dict[str, Any]:
    return {
        "id": connection.id,
        "kind": connection.kind,
        "other": _person(selectors.connection_other(connection, viewer)),
        "label": labels.get(connection.id, ""),
        "created_at": connection.created_at,
    }


def _share_out(share: Share) -> dict[str, Any]:
    return {
        "id": share.id,
        "connection_id": share.connection_id,
        "recipient": _person(share.recipient),
        "scope": share.scope,
        "moment_id": share.moment_id,
        "theme_id": share.theme_id,
        "include_stories": share.include_stories,
        "note": share.note,
        "created_at": share.created_at,
        "expires_at": share.expires_at,
    }


def _shared_out(share: Share) -> dict[str, Any]:
    return {
        "id": share.id,
        "owner": _person(share.owner),
        "scope": share.scope,
        "note": share.note,
        "theme_name": share.theme.name if share.theme_id and share.theme else None,
        "created_at": share.created_at,
        "expires_at": share.expires_at,
    }


def moment_out(moment: Moment) -> dict[str, Any]:
    # What a shared moment shows: the person's words about the moment itself, never the
    # private people labels or notes.
    return {
        "id": moment.id,
        "kind": moment.kind,
        "occurred_at": moment.occurred_at,
        "theme_name": moment.theme.name if moment.theme else None,
        "states": moment.states,
        "intensity": moment.intensity,
        "intensity_after": moment.intensity_after,
        "body": moment.body,
        "needs": moment.needs,
        "contexts": moment.contexts,
        "cue": moment.cue,
        "story": moment.story,
        "part": moment.part,
        "helped": moment.helped,
    }


# --- Connections ----------------------------------------------------------------------------


@router.get("", response=Page[ConnectionOut], summary="List your connections")
def connections_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    user = person_of(request)
    result = paginate(selectors.connections_of(viewer=user), page=page)
    labels = selectors.labels_of(viewer=user)
    result["items"] = [_connection_out(c, user, labels) for c in result["items"]]
    return result


@router.get("/polycule", response=PolyculeOut, summary="Your polycule, one hop out")
def connections_polycule(request: HttpRequest) -> dict[str, Any]:
    polycule = selectors.polycule_of(viewer=person_of(request))
    return {"nodes": [n.__dict__ for n in polycule.nodes]}


@router.put("/visibility", response=PolyculeOut, summary="How you appear to metamours")
def connections_visibility(request: HttpRequest, body: VisibilityIn) -> dict[str, Any]:
    user = person_of(request)
    services.polycule_setting_update(
        actor=user,
        appear_to_metamours=body.appear_to_metamours,
        show_my_connections=body.show_my_connections,
    )
    return {"nodes": [n.__dict__ for n in selectors.polycule_of(viewer=user).nodes]}


@router.post(
    "/safety-check",
    response=SafetyCheckOut,
    summary="Run Safety Check",
    description=(
        "Revokes every share and invitation, ends every connection quietly, signs out every "
        "session but the current one, revokes API tokens (including the one making this call) "
        "and runs the other apps' steps, in one transaction."
    ),
)
def connections_safety_check(request: HttpRequest, body: SafetyCheckIn) -> dict[str, Any]:
    session = getattr(request, "session", None)
    counts = services.safety_check_run(
        actor=person_of(request), keep_session_key=session.session_key if session else None
    )
    return {"counts": counts}


@router.get("/{connection_id}", response=ConnectionOut, summary="Read a connection")
def connections_read(request: HttpRequest, connection_id: uuid.UUID) -> dict[str, Any]:
    user = person_of(request)
    connection = selectors.connection_for(viewer=user, id=connection_id)
    return _connection_out(connection, user, selectors.labels_of(viewer=user))


@router.put("/{connection_id}/label", response=ConnectionOut, summary="Set your private label")
def connections_label(
    request: HttpRequest, connection_id: uuid.UUID, body: LabelIn
) -> dict[str, Any]:
    user = person_of(request)
    connection = selectors.connection_for(viewer=user, id=connection_id)
    services.connection_label_set(actor=user, connection=connection, label=body.label)
    return _connection_out(connection, user, selectors.labels_of(viewer=user))


@router.post("/{connection_id}/end", response={204: None}, summary="End a connection")
def connections_end(request: HttpRequest, connection_id: uuid.UUID, body: EndIn) -> Status[None]:
    user = person_of(request)
    connection = selectors.connection_for(viewer=user, id=connection_id)
    services.connection_end(actor=user, connection=connection, quietly=body.quietly)
    return Status(204, None)


# --- Invitations ----------------------------------------------------------------------------


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "kind": invitation.kind,
        "email": invitation.email,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


@invitations_router.get("", response=Page[InvitationOut], summary="Your open invitations")
def invitations_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(selectors.invitations_of(viewer=person_of(request)), page=page)


@invitations_router.post("", response={201: InvitationCreatedOut}, summary="Invite someone")
def invitations_create(request: HttpRequest, body: InvitationIn) -> Status[dict[str, Any]]:
    invitation, secret = services.invitation_create(
        actor=person_of(request), kind=body.kind, email=body.email, days=body.days
    )
    return Status(
        201,
        {**_invitation_out(invitation), "url": services.invitation_url(secret), "token": secret},
    )


@invitations_router.post("/accept", response={201: ConnectionOut}, summary="Accept one")
def invitations_accept(request: HttpRequest, body: AcceptIn) -> Status[dict[str, Any]]:
    user = person_of(request)
    connection = services.invitation_accept(actor=user, secret=body.token)
    return Status(201, _connection_out(connection, user, {}))


@invitations_router.delete("/{invitation_id}", response={204: None}, summary="Withdraw one")
def invitations_revoke(request: HttpRequest, invitation_id: uuid.UUID) -> Status[None]:
    user = person_of(request)
    invitation = selectors.invitation_for(viewer=user, id=invitation_id)
    services.invitation_revoke(actor=user, invitation=invitation)
    return Status(204, None)


# --- Shares: the owner's side ---------------------------------------------------------------


@shares_router.get("", response=Page[ShareOut], summary="Everything you share right now")
def shares_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    result = paginate(selectors.shares_of(owner=person_of(request)), page=page)
    result["items"] = [_share_out(s) for s in result["items"]]
    return result


@shares_router.post("", response={201: ShareOut}, summary="Share something")
def shares_create(request: HttpRequest, body: ShareIn) -> Status[dict[str, Any]]:
    user = person_of(request)
    connection = selectors.connection_for(viewer=user, id=body.connection_id)
    share = share_services.share_create(
        actor=user,
        connection=connection,
        scope=body.scope,
        moment_id=body.moment_id,
        theme_id=body.theme_id,
        note=body.note,
        expires_at=body.expires_at,
        include_stories=body.include_stories,
    )
    return Status(201, _share_out(selectors.share_of(owner=user, id=share.id)))


@shares_router.post("/revoke-all", response=RevokedOut, summary="Revoke everything you share")
def shares_revoke_all(request: HttpRequest) -> dict[str, Any]:
    return {"revoked": share_services.shares_revoke_all(actor=person_of(request))}


@shares_router.get("/views", response=list[ShareViewOut], summary="Who viewed what, and when")
def shares_views(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "share_id": e.target_id,
            "viewer": _person(e.actor) if e.actor else None,
            "scope": e.meta.get("scope", ""),
            "moment_id": e.meta.get("moment"),
            "at": e.at,
        }
        for e in selectors.share_views_of(owner=person_of(request), limit=200)
    ]


@shares_router.delete("/{share_id}", response={204: None}, summary="Revoke a share")
def shares_revoke(request: HttpRequest, share_id: uuid.UUID) -> Status[None]:
    user = person_of(request)
    share_services.share_revoke(actor=user, share=selectors.share_of(owner=user, id=share_id))
    return Status(204, None)


# --- Shared with me -------------------------------------------------------------------------


@shared_router.get("", response=Page[SharedOut], summary="What others share with you")
def shared_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    result = paginate(selectors.shares_visible_to(viewer=person_of(request)), page=page)
    result["items"] = [_shared_out(s) for s in result["items"]]
    return result


@shared_router.get(
    "/{share_id}",
    response={200: SharedDetailOut, 422: Problem},
    summary="Open something shared",
    description="A map for `period`, a summary for `week`; each read is shown to its owner "
    "(who looked, at what, which period, which day).",
)
def shared_read(
    request: HttpRequest, share_id: uuid.UUID, params: Query[SharedPeriodParams]
) -> Any:
    user = person_of(request)
    share = selectors.share_visible_to(viewer=user, id=share_id)
    picks = shared_picks(params)
    if isinstance(picks, HttpResponse):
        return picks
    view = scopes.shared_view(viewer=user, share=share, picks=picks)
    share_services.share_viewed(viewer=user, share=share, period=view.period if view else None)
    return shared_detail_out(share, view)


@shared_router.get(
    "/{share_id}/moments/{moment_id}", response=SharedMomentOut, summary="One shared moment"
)
def shared_moment(
    request: HttpRequest, share_id: uuid.UUID, moment_id: uuid.UUID
) -> dict[str, Any]:
    user = person_of(request)
    share = selectors.share_visible_to(viewer=user, id=share_id)
    moment = selectors.shared_moment_visible_to(viewer=user, id=moment_id, share=share)
    share_services.share_viewed(viewer=user, share=share, moment_id=moment.id)
    return moment_out(moment)
