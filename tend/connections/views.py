"""Pages: connections and the polycule, invitations, shares, shared with me, Safety Check.

Thin: parse, call a service or a selector, render. Every read of someone else's data goes
through a ``*_visible_to`` selector, which answers 404 for anything not (or no longer) visible.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.connections import selectors, services
from tend.connections.graph import layout
from tend.connections.models import DiscreetSetting, Kind, PolyculeSetting, Share
from tend.connections.summary import shared_map_of, weekly_summary_of
from tend.core import dates
from tend.journal import vocabulary
from tend.journal.models import Moment
from tend.journal.selectors import moments_of, own_labels
from tend.journal.themes import themes_of

EXPIRY_CHOICES = (
    ("", gettext_lazy("No end date")),
    ("1", gettext_lazy("1 day")),
    ("7", gettext_lazy("1 week")),
    ("30", gettext_lazy("30 days")),
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _errors(error: ValidationError) -> list[str]:
    return [m for messages_ in error.message_dict.values() for m in messages_]


# --- Connections and the polycule -----------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
    user = _user(request)
    try:
        services.polycule_setting_update(
            actor=user,
            appear_to_metamours=request.POST.get("appear_to_metamours", ""),
            show_my_connections=request.POST.get("show_my_connections") == "on",
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Saved. This is how you appear in others' views."))
    return redirect(reverse("connections:index") + "#visibility")


@require_GET
def detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
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
        },
    )


@require_POST
def label(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    connection = selectors.connection_for(viewer=user, id=id)
    try:
        services.connection_label_set(
            actor=user, connection=connection, label=request.POST.get("label", "")
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Label saved. Only you see it."))
    return redirect("connections:detail", id=connection.id)


@require_POST
def end(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    connection = selectors.connection_for(viewer=user, id=id)
    quietly = request.POST.get("quietly") == "on"
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
    user = _user(request)
    try:
        invitation, secret = services.invitation_create(
            actor=user,
            kind=request.POST.get("kind", ""),
            email=request.POST.get("email", ""),
        )
    except ValidationError as error:
        for message in _errors(error):
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
    user = _user(request)
    invitation = selectors.invitation_for(viewer=user, id=id)
    services.invitation_revoke(actor=user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn. The link no longer works."))
    return redirect(reverse("connections:index") + "#invitations")


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The invitation link: who invites whom and as what; accepting is a deliberate POST.

    Opening the link accepts nothing (mail scanners open links). Someone not signed in is asked
    to sign in or sign up and is brought back here. The secret travels in the query string
    (``?t=``), not the path: access logs keep paths, never query strings.
    """
    secret = request.GET.get("t", "")
    invitation = selectors.invitation_by_token(secret)
    here = request.get_full_path()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={quote(here, safe='/')}")
        try:
            connection = services.invitation_accept(actor=_user(request), secret=secret)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(
                request, _("You are connected. Nothing is shared until one of you chooses.")
            )
            return redirect("connections:detail", id=connection.id)
    user = request.user
    failed = request.method == "POST"
    return render(
        request,
        "connections/join.html",
        {
            "invitation": invitation,
            "inviter": selectors.display_name(invitation.inviter),
            "kind": Kind(invitation.kind).label,
            "own": user.is_authenticated and invitation.inviter_id == user.pk,
            "next": here,
        },
        status=400 if failed else 200,
    )


# --- Shares: the owner's side ---------------------------------------------------------------


def _expiry(value: str) -> dt.datetime | None:
    if value in {"1", "7", "30"}:
        return timezone.now() + dt.timedelta(days=int(value))
    return None


def _moment_title(moment: Moment) -> str:
    when = dates.when(timezone.localtime(moment.occurred_at), "short_datetime")
    kind = _("Glimmer") if moment.is_glimmer else _("Activation")
    cue = (moment.cue[:50] + "…") if len(moment.cue) > 50 else moment.cue
    return f"{when} · {kind}" + (f" · {cue}" if cue else "")


@require_http_methods(["GET", "POST"])
def share_new(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    connection = selectors.connection_for(viewer=user, id=id)
    other = selectors.connection_other(connection, user)
    errors: list[str] = []
    if request.method == "POST":
        scope = request.POST.get("scope", "")
        try:
            services.share_create(
                actor=user,
                connection=connection,
                scope=scope,
                moment_id=request.POST.get("moment") if scope == "moment" else None,
                theme_id=request.POST.get("theme") if scope == "theme" else None,
                note=request.POST.get("note", ""),
                expires_at=_expiry(request.POST.get("expires", "")),
                include_stories=request.POST.get("include_stories") == "on",
            )
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(
                request,
                _("Shared with %(name)s. You can revoke it at any time.")
                % {"name": selectors.display_name(other)},
            )
            return redirect("connections:detail", id=connection.id)
    preselect = request.GET.get("moment") or request.POST.get("moment", "")
    return render(
        request,
        "connections/share_new.html",
        {
            "connection": connection,
            "name": selectors.display_name(other),
            "errors": errors,
            "themes": list(themes_of(viewer=user, archived=False)),
            "moments": [(m.id, _moment_title(m)) for m in moments_of(viewer=user)[:50]],
            "preselect": str(preselect),
            "scopes": Share.Scope.choices,
            "expiry_choices": EXPIRY_CHOICES,
            # On GET, ?scope=weekly_summary (from a check-in) preselects that scope, and nothing
            # else: a link must not be able to tick "include my stories" for someone.
            "post": request.POST
            if request.method == "POST"
            else {"scope": request.GET.get("scope", "")},
        },
        status=400 if errors else 200,
    )


@require_GET
def shares(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    items = list(selectors.shares_of(owner=user))
    for item in items:
        item.recipient_name = selectors.display_name(item.recipient)  # type: ignore[attr-defined]
    share_ids = {str(s.id) for s in items}
    return render(
        request,
        "connections/shares.html",
        {
            "shares": items,
            "views": [
                {"event": e, "name": selectors.display_name(e.actor) if e.actor else "—"}
                for e in selectors.share_views_of(owner=user)
            ],
            "share_ids": share_ids,
        },
    )


@require_POST
def share_revoke(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    share = selectors.share_of(owner=user, id=id)
    services.share_revoke(actor=user, share=share)
    messages.success(request, _("Revoked. It is no longer visible to them."))
    if request.POST.get("back") == "detail":
        return redirect("connections:detail", id=share.connection_id)
    return redirect("connections:shares")


@require_POST
def shares_revoke_all(request: HttpRequest) -> HttpResponse:
    count = services.shares_revoke_all(actor=_user(request))
    messages.success(request, _("Revoked everything you shared (%(n)d).") % {"n": count})
    return redirect("connections:shares")


# --- Shared with me -------------------------------------------------------------------------


@require_GET
def shared_with_me(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    items = list(selectors.shares_visible_to(viewer=user))
    groups: dict[Any, dict[str, Any]] = {}
    for share in items:
        group = groups.setdefault(
            share.owner_id, {"name": selectors.display_name(share.owner), "shares": []}
        )
        group["shares"].append(share)
    return render(request, "connections/shared.html", {"groups": list(groups.values())})


def _moment_context(moment: Moment) -> dict[str, Any]:
    labels = own_labels(owner=moment.author) if moment.needs or moment.contexts else {}
    return {
        "moment": moment,
        "needs": [labels.get(c) or vocabulary.label("needs", c) for c in moment.needs],
        "contexts": [labels.get(c) or vocabulary.label("contexts", c) for c in moment.contexts],
    }


@require_GET
def shared_item(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    share = selectors.share_visible_to(viewer=user, id=id)
    services.share_viewed(viewer=user, share=share)
    context: dict[str, Any] = {
        "share": share,
        "name": selectors.display_name(share.owner),
    }
    if share.scope == Share.Scope.MOMENT:
        moment = selectors.shared_moment_visible_to(
            viewer=user, id=share.moment_id or "", share=share
        )
        context.update(_moment_context(moment))
    elif share.scope == Share.Scope.THEME:
        context["moments"] = list(selectors.shared_moments_visible_to(viewer=user, share=share))
    elif share.scope == Share.Scope.WEEKLY_SUMMARY:
        context["summary"] = weekly_summary_of(
            owner=share.owner, include_stories=share.include_stories
        )
    elif share.scope == Share.Scope.TRIGGER_MAP:
        context.update(_trigger_map_context(share))
    return render(request, "connections/shared_item.html", context)


def _trigger_map_context(share: Share) -> dict[str, Any]:
    return {"map": shared_map_of(owner=share.owner)}


@require_GET
def shared_moment(request: HttpRequest, id: uuid.UUID, moment_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    share = selectors.share_visible_to(viewer=user, id=id)
    moment = selectors.shared_moment_visible_to(viewer=user, id=moment_id, share=share)
    services.share_viewed(viewer=user, share=share, moment_id=moment.id)
    return render(
        request,
        "connections/shared_moment.html",
        {"share": share, "name": selectors.display_name(share.owner), **_moment_context(moment)},
    )


@require_POST
def discreet(request: HttpRequest) -> HttpResponse:
    neutral = request.POST.get("neutral_name") == "on"
    services.discreet_setting_update(actor=_user(request), neutral_name=neutral)
    messages.success(
        request,
        _("Tend now shows as “Notes” in the tab and the top bar.")
        if neutral
        else _("Tend shows its own name again."),
    )
    return redirect(reverse("connections:safety") + "#discreet")


# --- Safety Check ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def safety(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return redirect("connections:safety")
        counts = services.safety_check_run(actor=user, keep_session_key=request.session.session_key)
        return render(request, "connections/safety_done.html", {"counts": counts})
    connections = list(selectors.connections_of(viewer=user))
    return render(
        request,
        "connections/safety.html",
        {
            "connections": [
                {
                    "connection": c,
                    "name": selectors.display_name(selectors.connection_other(c, user)),
                }
                for c in connections
            ],
            "share_count": selectors.shares_of(owner=user).count(),
            "invitation_count": selectors.invitations_of(viewer=user).count(),
            "neutral_name": DiscreetSetting.objects.filter(user=user, neutral_name=True).exists(),
        },
    )
