"""Ritual pages: the list and rhythm, a new ritual, one ritual's occurrences, the calendar link."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.connections.selectors import (
    connection_for,
    connection_other,
    connections_of,
    display_name,
)
from tend.rituals.feed import feed_calendar
from tend.rituals.forms import CalendarLinkForm, MarkForm, RitualForm
from tend.rituals.models import OccurrenceState, Ritual
from tend.rituals.plain import describe, rhythm_sentence
from tend.rituals.schedule import Occurrence, occurrences, zone_for
from tend.rituals.selectors import (
    done_recently,
    feed_by_secret,
    feed_of,
    marks_for_viewer,
    ritual_for,
    rituals_listed_for,
)
from tend.rituals.services import (
    feed_create,
    feed_fetched,
    feed_revoke,
    feed_set_discreet,
    occurrence_mark,
    ritual_archive,
    ritual_create,
)

RHYTHM_WEEKS = 8


def _with_whom(ritual: Ritual, viewer: User) -> str:
    if ritual.connection is None:
        return _("Just you")
    return display_name(connection_other(ritual.connection, viewer))


def _upcoming(
    ritual: Ritual, viewer: User, now: dt.datetime, marks: list[OccurrenceState]
) -> list[Occurrence]:
    """The viewer's next 60 days of the ritual, skipped ones included and marked so."""
    return occurrences(
        ritual,
        start=now,
        end=now + dt.timedelta(days=60),
        participant_tz=viewer.time_zone,
        participant_id=viewer.id,
        include_skipped=True,
        marks=marks,
    )


def _summary(
    ritual: Ritual, viewer: User, *, done: int, upcoming: list[Occurrence]
) -> dict[str, Any]:
    following = next((o for o in upcoming if o.state != OccurrenceState.State.SKIPPED), None)
    return {
        "ritual": ritual,
        "with_whom": _with_whom(ritual, viewer),
        "schedule": describe(ritual),
        "next": following.start.astimezone(viewer.tz) if following else None,
        "rhythm": rhythm_sentence(done, RHYTHM_WEEKS),
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    now = timezone.now()
    listed = rituals_listed_for(viewer=user, done_since=now - dt.timedelta(weeks=RHYTHM_WEEKS))
    rituals = [
        _summary(
            r, user, done=done_recently(r), upcoming=_upcoming(r, user, now, marks_for_viewer(r))
        )
        for r in listed
    ]
    return render(request, "rituals/index.html", {"rituals": rituals, "weeks": RHYTHM_WEEKS})


def _connection_choices(user: User) -> list[tuple[str, str]]:
    return [
        (str(c.id), display_name(connection_other(c, user))) for c in connections_of(viewer=user)
    ]


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    choices = _connection_choices(user)
    if request.method == "POST":
        form = RitualForm(request.POST, connections=choices)
        if form.is_valid():
            data = form.cleaned_data
            connection = (
                connection_for(viewer=user, id=data["connection"]) if data["connection"] else None
            )
            try:
                ritual = ritual_create(
                    actor=user,
                    connection=connection,
                    kind=data["kind"],
                    words=data["words"],
                    rrule=form.rrule(),
                    start_date=data["start_date"],
                    start_time=data["time"],
                    duration_minutes=data["duration_minutes"],
                    basis=data["basis"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your ritual is in place."))
                return redirect("rituals:detail", id=ritual.id)
    else:
        initial: dict[str, Any] = {"start_date": timezone.localdate(timezone.now(), user.tz)}
        if request.GET.get("connection") in {c for c, _name in choices}:
            initial["connection"] = request.GET["connection"]
        form = RitualForm(connections=choices, initial=initial)
    return render(request, "rituals/new.html", {"form": form, "time_zone": user.time_zone})


@require_GET
def detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    now = timezone.now()
    # The same load as the index, so a ritual's marks and rhythm are read once, in one place.
    listed = rituals_listed_for(viewer=user, done_since=now - dt.timedelta(weeks=RHYTHM_WEEKS))
    ritual = get_object_or_404(listed, id=id)
    marks = marks_for_viewer(ritual)
    tz = user.tz
    recent = occurrences(
        ritual,
        start=now - dt.timedelta(weeks=4),
        end=now,
        participant_tz=user.time_zone,
        participant_id=user.id,
        include_skipped=True,
        marks=marks,
    )
    upcoming = _upcoming(ritual, user, now, marks)

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "o": o,
                "local": o.start.astimezone(tz),
                "move_value": o.start.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
            }
            for o in items
        ]

    return render(
        request,
        "rituals/detail.html",
        {
            "summary": _summary(ritual, user, done=done_recently(ritual), upcoming=upcoming),
            "recent": rows(list(reversed(recent))),
            "upcoming": rows(upcoming[:6]),
            "is_owner": ritual.owner_id == user.id,
            "zone_note": zone_for(ritual, user.time_zone) != user.time_zone,
        },
    )


@require_POST
def mark(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    ritual = ritual_for(viewer=user, id=id)
    form = MarkForm(request.POST, tz=user.tz)
    form.is_valid()
    if "original" in form.errors:
        raise Http404
    if "moved_to" in form.errors:
        messages.error(request, " ".join(str(m) for m in form.errors["moved_to"]))
        return redirect("rituals:detail", id=ritual.id)
    original, state, moved_to = (form.cleaned_data[k] for k in ("original", "state", "moved_to"))
    try:
        occurrence_mark(
            actor=user, ritual=ritual, original=original, state=state, moved_to=moved_to
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            {
                "done": _("Marked as done. Thank you for showing up."),
                "skipped": _("Skipped. That's all right."),
                "moved": _("Moved."),
            }.get(state, _("Cleared.")),
        )
    return redirect("rituals:detail", id=ritual.id)


@require_POST
def archive(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    ritual = ritual_for(viewer=user, id=id)
    if ritual.owner_id != user.id:
        raise Http404
    ritual_archive(actor=user, ritual=ritual)
    messages.success(request, _("The ritual is put away."))
    return redirect("rituals:index")


@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    created = ""
    if request.method == "POST":
        form = CalendarLinkForm(request.POST)
        form.is_valid()  # always: it only reads the post
        action, discreet = form.cleaned_data["action"], form.cleaned_data["discreet"]
        if action in {"create", "rotate"}:
            secret = feed_create(actor=user, discreet=discreet)
            created = request.build_absolute_uri(f"/rituals/calendar/{secret}.ics")
        elif action == "revoke":
            feed_revoke(actor=user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("rituals:calendar")
        elif action == "discreet":
            feed_set_discreet(actor=user, discreet=discreet)
            messages.success(request, _("Saved."))
            return redirect("rituals:calendar")
    return render(
        request, "rituals/calendar.html", {"feed": feed_of(viewer=user), "created": created}
    )


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    feed = feed_by_secret(secret)
    if feed is None:
        raise Http404
    feed_fetched(feed=feed)
    response = HttpResponse(
        feed_calendar(user=feed.user, discreet=feed.discreet),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="tend.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
