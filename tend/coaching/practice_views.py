"""Coaching pages of the practice: the dashboard, and the summary after a call (written by the
practitioner, kept by the client). Thin: parse, call ``dashboard``/``summaries``, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.requests import person_of
from tend.booking.words import when_words
from tend.coaching import dashboard, selectors, summaries
from tend.coaching.models import SUMMARY_MAX
from tend.coaching.views import _zone
from tend.notifications.services import notifications_mark_read_for


@require_GET
def practice(request: HttpRequest) -> HttpResponse:
    """Counts of what waits, since the last look; looking is recorded after counting."""
    user = person_of(request)
    counts = dashboard.practice_counts(viewer=user)
    zone = _zone(user)
    dashboard.dashboard_seen(actor=user)
    return render(
        request,
        "coaching/dashboard.html",
        {
            "counts": counts,
            "next_words": when_words(counts.next_call.start, zone) if counts.next_call else "",
            "days": dashboard.UPCOMING_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, id: Any) -> HttpResponse:
    """The summary of one call: a draft the practitioner saves, then sends once."""
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=id)
    client = summaries.client_of_call(viewer=user, booking=booking)
    found = summaries.summary_for_call(viewer=user, booking=booking)
    error = ""
    typed = found.text if found is not None else ""
    if request.method == "POST":
        typed = request.POST.get("text", "")
        sending = request.POST.get("action") == "send"
        try:
            if sending and found is not None and found.sent_at is not None:
                # Sent already: sending again changes nothing and tells nobody again.
                summaries.summary_send(actor=user, summary=found)
            else:
                saved = summaries.summary_save(actor=user, booking=booking, text=typed)
                if sending:
                    summaries.summary_send(actor=user, summary=saved)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Sent. It is theirs now, in their journal; you keep a copy of what you sent.")
                if sending
                else _("Your draft is saved. Only you can read it until you send it."),
            )
            return redirect("coaching:summary", id=booking.id)
    return render(
        request,
        "coaching/summary.html",
        {
            "booking": booking,
            "when": when_words(booking.start, _zone(user)),
            "client": client,
            "summary": found,
            "typed": typed,
            "error": error,
            "summary_max": SUMMARY_MAX,
        },
        status=400 if error else 200,
    )


# --- The client's side ----------------------------------------------------------------------


@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """The summaries of calls sent to the viewer: theirs."""
    user = person_of(request)
    return render(
        request,
        "coaching/summaries.html",
        {"summaries": list(summaries.received_summaries_of(viewer=user)[:200])},
    )


@require_GET
def received_one(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    found = summaries.received_summary_of(viewer=user, id=id)
    summaries.received_summary_mark_read(actor=user, summary=found)
    # Reading the summary is reading the notice that led here.
    notifications_mark_read_for(actor=user, link=f"/coaching/summaries/{found.id}/")
    return render(request, "coaching/summary_received.html", {"summary": found})


@require_POST
def received_delete(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    found = summaries.received_summary_of(viewer=user, id=id)
    summaries.received_summary_delete(actor=user, summary=found)
    messages.success(request, _("The summary is deleted."))
    return redirect("coaching:summaries")
