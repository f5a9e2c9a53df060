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
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of as _user
from tend.connections import selectors, services
from tend.connections.forms import (
    DiscreetForm,
    EndForm,
    InviteForm,
    LabelForm,
    RevokeForm,
    SafetyCheckForm,
    ShareForm,
    VisibilityForm,
)
from tend.connections.graph import layout
from tend.connections.models import DiscreetSetting, Invitation, Kind, PolyculeSetting, Share
from tend.connections.summary import shared_map_of, weekly_summary_of
from tend.core import dates
from tend.journal import vocabulary
from tend.journal.filters import SEARCH_MAX_LENGTH, MomentFilter, moments_search
from tend.journal.models import Moment
from tend.journal.selectors import moments_of, own_labels
from tend.journal.themes import themes_of
from tend.notifications.services import notifications_mark_read_for

EXPIRY_CHOICES = (
    ("", gettext_lazy("No end date")),
    ("1", gettext_lazy("1 day")),
    ("7", gettext_lazy("1 week")),
    ("30", gettext_lazy("30 days")),
)


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
    form = VisibilityForm(request.POST)
    form.is_valid()  # always: it only reads the post
    try:
        services.polycule_setting_update(actor=user, **form.cleaned_data)
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
    form = LabelForm(request.POST)
    form.is_valid()  # always: it only reads the post
    try:
        services.connection_label_set(actor=user, connection=connection, **form.cleaned_data)
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
    user = _user(request)
    form = InviteForm(request.POST)
    form.is_valid()  # always: it only reads the post
    try:
        invitation, secret = services.invitation_create(actor=user, **form.cleaned_data)
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
            connection = services.invitation_accept(
                actor=_user(request), token_hash=token_hash
            )
        except ValidationError as error:
            failed = True
            for message in _errors(error):
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
                and not selectors.invitation_is_for(invitation, _user(request))
            ),
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


# How many moments the picker offers: the latest few with no search, the best few with one.
PICKER_LATEST = 5
PICKER_FOUND = 12


def _moment_picker(user: User, q: str, chosen: str) -> dict[str, Any]:
    """The one-moment picker: the person's latest moments, or those whose words contain ``q``.

    Only ever the viewer's own moments (``moments_search`` reads through ``moments_of``); their
    words are encrypted, so the search decrypts in this request, as the journal's does. The
    moment already chosen stays offered, so a new search never loses it.
    """
    q = q.strip()[:SEARCH_MAX_LENGTH]
    result = moments_search(viewer=user, filters=MomentFilter(q=q))
    found = list(result.moments[: PICKER_FOUND if q else PICKER_LATEST])
    matched = len(found)
    wanted = _maybe_uuid(chosen)
    if wanted and all(m.id != wanted for m in found):
        kept = moments_of(viewer=user).filter(id=wanted).first()
        if kept is not None:
            found.insert(0, kept)
    return {
        "moment_q": q,
        "moment_matched": matched,
        "moment_choices": [{"id": str(m.id), "title": _moment_title(m)} for m in found],
        "moment_limited": result.limited,
        "moment_chosen": str(wanted) if wanted else "",
        "has_moments": bool(found) or moments_of(viewer=user).exists(),
    }


def _maybe_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def share_new(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    connection = selectors.connection_for(viewer=user, id=id)
    other = selectors.connection_other(connection, user)
    errors: list[str] = []
    searching = request.method == "POST" and "find" in request.POST
    if request.method == "POST" and not searching:
        form = ShareForm(request.POST)
        form.is_valid()  # always: it only reads the post
        posted = form.cleaned_data
        scope = posted["scope"]
        try:
            services.share_create(
                actor=user,
                connection=connection,
                scope=scope,
                moment_id=posted["moment"] if scope == "moment" else None,
                theme_id=posted["theme"] if scope == "theme" else None,
                note=posted["note"],
                expires_at=_expiry(posted["expires"]),
                include_stories=posted["include_stories"],
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
    if request.method == "POST":
        # Searching (the form's first button, so also Enter in the search field) keeps
        # everything typed and chooses "one moment"; the search words travel in the body,
        # never in an address.
        post: Any = request.POST.copy()
        if searching:
            post["scope"] = "moment"
    else:
        # On GET, ?scope=weekly_summary (from a check-in) preselects that scope, and nothing
        # else: a link must not be able to tick "include my stories" for someone. Without it,
        # a new share is of one moment.
        post = {"scope": request.GET.get("scope", "") or "moment"}
    chosen = request.POST.get("moment", "") if request.method == "POST" else ""
    return render(
        request,
        "connections/share_new.html",
        {
            "connection": connection,
            "name": selectors.display_name(other),
            "errors": errors,
            "themes": list(themes_of(viewer=user, archived=False)),
            **_moment_picker(
                user, request.POST.get("moment_q", ""), chosen or request.GET.get("moment", "")
            ),
            "scopes": Share.Scope.choices,
            "expiry_choices": EXPIRY_CHOICES,
            "post": post,
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
    form = RevokeForm(request.POST)
    form.is_valid()  # always: it only reads the post
    if form.cleaned_data["back"] == "detail":
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
    notifications_mark_read_for(actor=user, link=request.path)
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
    form = DiscreetForm(request.POST)
    form.is_valid()  # always: it only reads the post
    neutral = form.cleaned_data["neutral_name"]
    services.discreet_setting_update(actor=_user(request), neutral_name=neutral)
    messages.success(
        request,
        _("Tend now shows as “Notes” in the tab and the top bar.")
        if neutral
        else _("Tend shows its own name again."),
    )
    return redirect(reverse("connections:safety") + "#discreet")


# --- Safety Check ---------------------------------------------------------------------------


def _careplans_with_others(user: User) -> dict[str, int]:
    """How many care plans ``user`` shares, by what Safety Check does to them: a plan with one
    person ends with that connection, for both; from a plan with several the person leaves, and
    it goes on for the others without their tender places (see careplans.signals)."""
    from tend.careplans.selectors import careplans_visible_to

    plans = careplans_visible_to(viewer=user)
    return {
        "careplans_closed": plans.filter(connection__isnull=False).count(),
        "careplans_left": plans.filter(connection__isnull=True).count(),
    }


@require_http_methods(["GET", "POST"])
def safety(request: HttpRequest) -> HttpResponse:
    """Safety Check: what it will do, one confirmation (``?confirm=1``), then one POST."""
    user = _user(request)
    if request.method == "POST":
        form = SafetyCheckForm(request.POST)
        form.is_valid()  # always: it only reads the post
        if form.cleaned_data["confirm"] != "yes":
            return redirect("connections:safety")
        # Counted before: afterwards the person is in none of them.
        plans = _careplans_with_others(user)
        counts = services.safety_check_run(actor=user, keep_session_key=request.session.session_key)
        return render(request, "connections/safety_done.html", {"counts": counts, **plans})
    connections = list(selectors.connections_of(viewer=user))
    return render(
        request,
        "connections/safety.html",
        {
            "confirming": request.GET.get("confirm") == "1",
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
            **_careplans_with_others(user),
        },
    )
