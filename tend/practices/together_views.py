"""Breathing together, remotely: a shared pacer both screens follow from the server's clock.

Each client estimates its own clock's offset from the server with a few round trips to
``clock`` (NTP-style: the sample with the shortest round trip wins) and computes the phase from
(server now - started_at) modulo the cycle, so two phones breathe in step whatever their clocks
say. Each polls ``status`` every few seconds to learn whether the other ended it.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tend.practices import catalogue
from tend.practices.models import SharedBreath
from tend.practices.selectors import BreathEnded, shared_breath_for
from tend.practices.services import (
    SHARED_BREATH_MINUTES,
    shared_breath_end,
    shared_breath_invite,
    shared_breath_join,
    shared_breath_start,
)
from tend.practices.views import int_param, player_strings, user_of


def _ms(value: Any) -> float:
    return round(value.timestamp() * 1000, 3)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def clock(request: HttpRequest) -> HttpResponse:
    """The server's time in milliseconds since the epoch, for clients to find their offset."""
    return _no_store(JsonResponse({"now": round(time.time() * 1000, 3)}))


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    minutes = int_param(request.POST.get("minutes"), 1, 60) or 15
    try:
        _breath, token = shared_breath_start(host=user, minutes=minutes)
    except ValidationError:
        messages.error(request, _("Choose 5, 15, 30 or 60 minutes."))
        return redirect("practices:player", code="breathe_together")
    messages.success(request, _("Your shared pacer has started. Send the link to your person."))
    return redirect("practices:together", token=token)


def _ended(request: HttpRequest) -> HttpResponse:
    return render(request, "practices/together_ended.html", status=410)


@require_GET
def together(request: HttpRequest, token: str) -> HttpResponse:
    user = user_of(request)
    try:
        breath = shared_breath_for(viewer=user, token=token)
    except BreathEnded:
        return _ended(request)
    breath = shared_breath_join(viewer=user, breath=breath)
    practice = catalogue.get("breathe_together")
    pattern = breath.pattern
    names = [str(n) for n in catalogue.PHASE_NAMES]
    phases = [{"index": i, "name": names[i], "seconds": s} for i, s in enumerate(pattern) if s > 0]
    is_host = breath.host_id == user.pk
    context = {
        "breath": breath,
        "invitees": _invitees(user) if is_host and breath.guest_id is None else [],
        "practice": practice,
        "is_host": is_host,
        "link": request.build_absolute_uri(reverse("practices:together", args=[token])),
        "token": token,
        "phases": phases,
        "started_ms": _ms(breath.started_at),
        "expires_ms": _ms(breath.expires_at),
        "minutes": SHARED_BREATH_MINUTES,
        "strings": player_strings(),
    }
    return render(request, "practices/together.html", context)


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    user = user_of(request)
    try:
        breath: SharedBreath = shared_breath_for(viewer=user, token=token)
    except BreathEnded:
        return _no_store(JsonResponse({"live": False}, status=410))
    return _no_store(
        JsonResponse(
            {
                "live": True,
                "started_at": _ms(breath.started_at),
                "expires_at": _ms(breath.expires_at),
                "pattern": breath.pattern,
                "joined": breath.guest_id is not None,
            }
        )
    )


@require_POST
def end(request: HttpRequest, token: str) -> HttpResponse:
    user = user_of(request)
    try:
        breath = shared_breath_for(viewer=user, token=token)
    except BreathEnded:
        return redirect("practices:together", token=token)
    # Someone who never opened the link cannot end it by guessing it: they would join first.
    breath = shared_breath_join(viewer=user, breath=breath)
    shared_breath_end(actor=user, breath=breath)
    return redirect("practices:together", token=token)


def _invitees(user: Any) -> list[dict[str, Any]]:
    """The host's active connections, named as the host sees them (their own label first)."""
    from tend.connections.selectors import (
        connection_other,
        connections_of,
        display_name,
        labels_of,
    )

    labels = labels_of(viewer=user)
    return [
        {
            "id": c.id,
            "label": labels.get(c.id) or display_name(connection_other(c, user)),
        }
        for c in connections_of(viewer=user)
    ]


@require_POST
def invite(request: HttpRequest, token: str, connection_id: Any) -> HttpResponse:
    """Send the link to one active connection as a content-free notice."""
    user = user_of(request)
    try:
        breath = shared_breath_for(viewer=user, token=token)
    except BreathEnded:
        return redirect("practices:together", token=token)
    shared_breath_invite(actor=user, breath=breath, token=token, connection_id=connection_id)
    messages.success(request, _("Sent. They will find it among their notices."))
    return redirect("practices:together", token=token)
