"""The practitioner's calls: upcoming and past, each with its intake, notes and changes."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.booking import selectors, services, week
from tend.booking.intake import RELATIONSHIP_STRUCTURES
from tend.booking.models import Booking
from tend.booking.words import place_name, time_words, when_words
from tend.journal import vocabulary

PER_PAGE = 20


def _zone(user: User) -> str:
    profile = selectors.profile_of(viewer=user)
    return profile.time_zone if profile else user.time_zone


def _booking(user: User, id: Any) -> Booking:
    booking = selectors.booking_of(viewer=user, id=id)
    if booking is None:
        raise Http404
    return booking


def calls(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    status = request.GET.get("status", "")
    status = status if status in Booking.Status.values else ""
    call_type = request.GET.get("call_type", "")
    rows = selectors.bookings_listed_for(viewer=user, when=when, status=status, call_type=call_type)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    zone = _zone(user)
    query = {"when": when, "status": status, "call_type": call_type}
    return render(
        request,
        "booking/calls.html",
        {
            "page": page,
            "items": [(b, when_words(b.start, zone)) for b in page.object_list],
            "when": when,
            "status": status,
            "call_type": call_type,
            "statuses": Booking.Status.choices,
            "call_types": selectors.call_types_of(viewer=user),
            "query": urlencode({k: v for k, v in query.items() if v}),
        },
    )


def _intake_rows(booking: Booking) -> list[tuple[str, str]]:
    """The booker's answers as (question, answer) in the practitioner's language."""
    try:
        answers = json.loads(booking.intake or "{}")
    except ValueError:
        return []
    rows: list[tuple[str, str]] = []
    structures = dict(RELATIONSHIP_STRUCTURES)
    if answers.get("relationship"):
        label = structures.get(answers["relationship"], answers["relationship"])
        rows.append((_("Relationship structure"), str(label)))
    if answers.get("what_brings"):
        rows.append((_("What brings them"), answers["what_brings"]))
    moment = answers.get("moment") or {}
    if moment.get("cue"):
        rows.append((_("A recent moment: the cue"), moment["cue"]))
    if moment.get("states"):
        states = ", ".join(vocabulary.label("states", s) for s in moment["states"])
        rows.append((_("How their body responded"), states))
    if moment.get("region"):
        rows.append((_("Where they felt it"), vocabulary.label("regions", moment["region"])))
    if moment.get("intensity") is not None:
        rows.append((_("Intensity (0 to 10)"), str(moment["intensity"])))
    labels = {q["key"]: q["label"] for q in booking.call_type.questions}
    for key, value in (answers.get("questions") or {}).items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        rows.append((labels.get(key, key), shown))
    return rows


def call_detail(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    booking = _booking(user, id)
    zone = _zone(user)
    return render(
        request,
        "booking/call.html",
        {
            "booking": booking,
            "when": when_words(booking.start, zone),
            "their_when": when_words(booking.start, booking.booker_zone),
            "intake": _intake_rows(booking),
            "consents": [
                {"text": c.get("text", ""), "at": dt.datetime.fromisoformat(c["at"])}
                for c in booking.consents
                if c.get("at")
            ],
            "started": booking.start <= timezone.now(),
            "is_open": booking.is_open and booking.end > timezone.now(),
        },
    )


@require_POST
def call_mark(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    booking = _booking(user, id)
    try:
        services.booking_mark(actor=user, booking=booking, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked."))
    return redirect("booking:call", id=booking.id)


@require_POST
def call_notes(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    booking = _booking(user, id)
    try:
        services.booking_note(actor=user, booking=booking, notes=request.POST.get("notes", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your notes are saved."))
    return redirect("booking:call", id=booking.id)


@require_POST
def call_cancel(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    booking = _booking(user, id)
    try:
        done = services.booking_cancel(
            booking=booking, by="practitioner", reason=request.POST.get("reason", ""), actor=user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, _("The call is cancelled; they have been told by email."))
        else:
            messages.error(request, _("This call was no longer open."))
    return redirect("booking:call", id=booking.id)


def call_move(request: HttpRequest, id: Any) -> HttpResponse:
    """Free times of the same call type in the practitioner's zone; POST moves the call."""
    user = person_of(request)
    booking = _booking(user, id)
    if not booking.is_open or booking.end <= timezone.now():
        messages.error(request, _("This call can no longer be moved."))
        return redirect("booking:call", id=booking.id)
    zone = _zone(user)
    error = ""
    if request.method == "POST":
        try:
            start = dt.datetime.fromisoformat(request.POST.get("start", ""))
            if start.tzinfo is None:
                raise ValueError
        except ValueError:
            error = _("Choose one of the free times.")
        else:
            try:
                services.booking_reschedule(
                    booking=booking, start=start, by="practitioner", actor=user
                )
            except services.SlotError as refused:
                error = refused.message
            except ValidationError as invalid:
                error = " ".join(invalid.messages)
            else:
                messages.success(
                    request, _("The call has its new time; they have been told by email.")
                )
                return redirect("booking:call", id=booking.id)
    tz = zoneinfo.ZoneInfo(zone)
    now = timezone.now()
    today = now.astimezone(tz).date()
    # Without a ``from``, the call's own week: moving is usually by a little.
    first = week.first_day(
        request.GET.get("from", ""),
        today=today,
        otherwise=max(booking.start.astimezone(tz).date(), today),
    )
    window_start, window_end = week.window(first, tz)
    free = selectors.free_slots_for(
        call_type=booking.call_type,
        time_zone=zone,
        now=now,
        window_start=window_start,
        window_end=window_end,
        exclude=booking.id,
    )
    days = week.by_day(
        (slot for slot in free if slot != booking.start),
        tz,
        lambda slot: {
            "time": time_words(slot, zone),
            "words": when_words(slot, zone),
            "value": slot.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    base = reverse("booking:call_move", args=[booking.id])
    next_first = first + dt.timedelta(days=week.DAYS)
    previous_first = max(first - dt.timedelta(days=week.DAYS), today)
    return render(
        request,
        "booking/public/move.html",
        {
            "booking": booking,
            "when": when_words(booking.start, zone),
            "back_url": reverse("booking:call", args=[booking.id]),
            "place": place_name(zone),
            "zone": zone,
            "days": days,
            "error": error,
            "next_url": f"{base}?{urlencode({'from': next_first.isoformat()})}",
            "previous_url": f"{base}?{urlencode({'from': previous_first.isoformat()})}"
            if first > today
            else None,
        },
        status=409 if error else 200,
    )
