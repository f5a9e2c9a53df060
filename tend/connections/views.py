"""Pages: connections and the polycule, and invitations.

Thin: parse, call a service or a selector, render. Every read of someone else's data goes
through a ``*_visible_to`` selector, which answers 404 for anything not (or no longer) visible.
Shares and what is shared with the person are in ``share_views``; Safety Check and the discreet
name in ``safety_views``.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.requests import person_of
from tend.connections import selectors, services
from tend.connections.forms import EndForm, InviteForm, LabelForm, VisibilityForm, messages_of
from tend.connections.graph import layout
from tend.connections.models import Invitation, Kind, PolyculeSetting
from tend.connections.viewed import looks_of

# How many of a person's looks at what one shares the connection's page shows (the rest on the
# shares page).
LOOKS_HERE = 10

# --- Connections and the polycule -----------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    polycule = selectors.polycule_of(viewer=user)
    connections = list(selectors.connections_of(viewer=user))
    labels = selectors.labels_of(viewer=user)
    rows = [
        {
            "connection": c,
            "name": selectors.display_name(selectors.connection_other(c, user)),
            "label": labels.get(c.id, ""),
        }
        for c in connections
    ]
    return render(
        request,
        "connections/index.html",
        {
            "rows": rows,
            "polycule": polycule,
            "graph": layout(polycule, me_name=_("You")),
            "one_hop": [n for n in polycule.nodes if n.via],
            "invitations": list(selectors.invitations_of(viewer=user)),
            "ended": [
                {
                    "connection": c,
                    "name": selectors.display_name(selectors.connection_other(c, user)),
                }
                for c in selectors.ended_connections_of(viewer=user)[:20]
            ],
            "kinds": Kind.choices,
            "shared_count": selectors.shares_visible_to(viewer=user).count(),
            "sharing_count": selectors.shares_of(owner=user).count(),
            "setting": selectors.polycule_setting_of(user=user),
            "appear_choices": PolyculeSetting.Appear.choices,
        },
    )


@require_POST
def visibility(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    form = VisibilityForm(request.POST)
    form.is_valid()  # always: it only reads the post
    try:
        services.polycule_setting_update(actor=user, **form.cleaned_data)
    except ValidationError as error:
        for message in messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Saved. This is how you appear in others' views."))
    return redirect(reverse("connections:index") + "#visibility")


@require_GET
def detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    connection = selectors.connection_for(viewer=user, id=id)
    other = selectors.connection_other(connection, user)
    return render(
        request,
        "connections/detail.html",
        {
            "connection": connection,
            "other": other,
            "name": selectors.display_name(other),
            "label": selectors.labels_of(viewer=user).get(connection.id, ""),
            "my_shares": list(selectors.shares_of(owner=user).filter(connection=connection)),
            "their_shares": list(
                selectors.shares_visible_to(viewer=user).filter(connection=connection)
            ),
            "looks": looks_of(owner=user, connection=connection, limit=100)[:LOOKS_HERE],
        },
    )


@require_POST
def label(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    connection = selectors.connection_for(viewer=user, id=id)
    form = LabelForm(request.POST)
    form.is_valid()  # always: it only reads the post
    try:
        services.connection_label_set(actor=user, connection=connection, **form.cleaned_data)
    except ValidationError as error:
        for message in messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Label saved. Only you see it."))
    return redirect("connections:detail", id=connection.id)


@require_POST
def end(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    connection = selectors.connection_for(viewer=user, id=id)
    form = EndForm(request.POST)
    form.is_valid()  # always: it only reads the post
    quietly = form.cleaned_data["quietly"]
    services.connection_end(actor=user, connection=connection, quietly=quietly)
    messages.success(
        request,
        _("The connection has ended. Nothing you shared is visible to them any more.")
        if not quietly
        else _("The connection has ended quietly. They get no notice from Tend."),
    )
    return redirect("connections:index")


# --- Invitations ----------------------------------------------------------------------------


@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    form = InviteForm(request.POST)
    form.is_valid()  # always: it only reads the post
    try:
        invitation, secret = services.invitation_create(actor=user, **form.cleaned_data)
    except ValidationError as error:
        for message in messages_of(error):
            messages.error(request, message)
        return redirect(reverse("connections:index") + "#invite")
    # The link is shown once, on this answer to the POST; only its hash is stored.
    return render(
        request,
        "connections/invited.html",
        {
            "invitation": invitation,
            "url": services.invitation_url(secret),
            "kind": Kind(invitation.kind).label,
        },
    )


@require_POST
def invitation_revoke(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    invitation = selectors.invitation_for(viewer=user, id=id)
    services.invitation_revoke(actor=user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn. The link no longer works."))
    return redirect(reverse("connections:index") + "#invitations")


# The session key that carries an opened invitation through sign-in or sign-up. It holds the
# secret's SHA-256, as the invitations table does, never the secret: a copy of the session
# store (a backup, a Redis dump) is then no way into anyone's invitation.
INVITATION_KEY = "tend_invitation"


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The invitation link: who invites whom and as what; accepting is a deliberate POST.

    Opening the link accepts nothing (mail scanners open links). The secret arrives once, in
    the query string (``?t=``: access logs keep paths, never query strings); its hash is kept
    in the visitor's session and the browser is sent on to ``/connections/join/`` without it,
    so no later address, ``next`` parameter, history entry or referrer carries it. Someone not
    signed in signs in, or signs up and confirms their email in this browser (which signs
    them in), and comes back here to decide.
    """
    if "t" in request.GET:
        try:
            opened = selectors.invitation_by_token(request.GET.get("t", ""))
        except Http404:
            # Used, withdrawn, expired or never made: the same answer for each.
            request.session.pop(INVITATION_KEY, None)
            return render(request, "connections/join_gone.html", status=404)
        request.session[INVITATION_KEY] = opened.token_hash
        return redirect("connections:join")
    token_hash = request.session.get(INVITATION_KEY, "")
    invitation: Invitation | None
    try:
        invitation = selectors.invitation_by_hash(token_hash) if token_hash else None
    except Http404:
        invitation = None
    if invitation is None:
        request.session.pop(INVITATION_KEY, None)
        return render(request, "connections/join_gone.html", status=404)
    here = reverse("connections:join")
    user = request.user
    failed = False
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={quote(here, safe='/')}")
        try:
            connection = services.invitation_accept(actor=person_of(request), token_hash=token_hash)
        except ValidationError as error:
            failed = True
            for message in messages_of(error):
                messages.error(request, message)
        else:
            request.session.pop(INVITATION_KEY, None)
            messages.success(
                request, _("You are connected. Nothing is shared until one of you chooses.")
            )
            return redirect("connections:detail", id=connection.id)
    own = user.is_authenticated and invitation.inviter_id == user.pk
    return render(
        request,
        "connections/join.html",
        {
            "invitation": invitation,
            "inviter": selectors.display_name(invitation.inviter),
            "kind": Kind(invitation.kind).label,
            "own": own,
            "other_address": (
                user.is_authenticated
                and not own
                and not selectors.invitation_is_for(invitation, person_of(request))
            ),
            "next": here,
        },
        status=400 if failed else 200,
    )
