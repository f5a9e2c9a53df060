"""Pages: shares (the owner's side) and what others share with the person.

Thin: parse, call a service or a selector, render. Every read of someone else's data goes
through a ``*_visible_to`` selector, which answers 404 for anything not (or no longer) visible.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.connections import scopes, selectors, share_services
from tend.connections.forms import RevokeForm, ShareForm, messages_of
from tend.connections.models import Share
from tend.connections.summary import summary_weeks
from tend.connections.viewed import looks_of
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
    user = person_of(request)
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
            share_services.share_create(
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
            errors = messages_of(error)
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
    user = person_of(request)
    items = list(selectors.shares_of(owner=user))
    for item in items:
        item.recipient_name = selectors.display_name(item.recipient)  # type: ignore[attr-defined]
    return render(
        request,
        "connections/shares.html",
        {
            "shares": items,
            "looks": looks_of(owner=user, limit=100),
        },
    )


@require_POST
def share_revoke(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    share = selectors.share_of(owner=user, id=id)
    share_services.share_revoke(actor=user, share=share)
    messages.success(request, _("Revoked. It is no longer visible to them."))
    form = RevokeForm(request.POST)
    form.is_valid()  # always: it only reads the post
    if form.cleaned_data["back"] == "detail":
        return redirect("connections:detail", id=share.connection_id)
    return redirect("connections:shares")


@require_POST
def shares_revoke_all(request: HttpRequest) -> HttpResponse:
    count = share_services.shares_revoke_all(actor=person_of(request))
    messages.success(request, _("Revoked everything you shared (%(n)d).") % {"n": count})
    return redirect("connections:shares")


# --- Shared with me -------------------------------------------------------------------------


@require_GET
def shared_with_me(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
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
    """One thing shared with the viewer; a map for ``?period=7|30|90`` days, a summary for
    ``?week=0..11`` (``scopes``: never beyond what a share reaches)."""
    user = person_of(request)
    share = selectors.share_visible_to(viewer=user, id=id)
    picks = scopes.Picks.from_query(request.GET)
    view = scopes.shared_view(viewer=user, share=share, picks=picks)
    share_services.share_viewed(viewer=user, share=share, period=view.period if view else None)
    notifications_mark_read_for(actor=user, link=request.path)
    context: dict[str, Any] = {
        "share": share,
        "name": selectors.display_name(share.owner),
        "picks": picks,
    }
    if share.scope == Share.Scope.PRACTICE_PROGRESS:
        # Read by the coaching app, which knows which practices were suggested (recorded above).
        from tend.coaching.progress import Progress, progress_of_share

        practices = progress_of_share(viewer=user, share=share)
        context["progress"] = Progress(share=share, practices=practices)
    elif view is None:
        pass
    elif share.scope == Share.Scope.MOMENT:
        if not view.moments:
            raise Http404
        context.update(_moment_context(view.moments[0]))
    elif share.scope == Share.Scope.THEME:
        context["moments"] = view.moments
    elif share.scope == Share.Scope.WEEKLY_SUMMARY:
        context["summary"] = view.summary
        context["summary_weeks"] = summary_weeks(share.owner.tz)
    elif share.scope == Share.Scope.TRIGGER_MAP:
        context["map"] = view.map
        context["map_periods"] = scopes.map_periods()
    return render(request, "connections/shared_item.html", context)


@require_GET
def shared_moment(request: HttpRequest, id: uuid.UUID, moment_id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    share = selectors.share_visible_to(viewer=user, id=id)
    moment = selectors.shared_moment_visible_to(viewer=user, id=moment_id, share=share)
    share_services.share_viewed(viewer=user, share=share, moment_id=moment.id)
    return render(
        request,
        "connections/shared_moment.html",
        {"share": share, "name": selectors.display_name(share.owner), **_moment_context(moment)},
    )
