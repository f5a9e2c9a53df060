"""Breathing together, remotely: a shared pacer both screens follow from the server's clock.

Each client estimates its own clock's offset from the server with a few round trips to
``clock`` (NTP-style: the sample with the shortest round trip wins) and computes the phase from
(server now - started_at) modulo the cycle, so two phones breathe in step whatever their clocks
say. Each polls ``status`` every few seconds to learn whether the other ended it.

The host and whoever they send the link to use the secret-link views; a connection the host
invited from Tend uses the same page by the session's id (``invited*``), so that the notice
telling them about it never carries the secret.
"""

from __future__ import annotations

import time
import uuid
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
from tend.practices.selectors import BreathEnded, shared_breath_for, shared_breath_invited_for
from tend.practices.services import (
    SHARED_BREATH_MINUTES,
    SeatTaken,
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


def _page(
    request: HttpRequest,
    breath: SharedBreath,
    *,
    token: str | None,
    status_url: str,
    end_url: str,
) -> HttpResponse:
    """The shared pacer, reached by its secret link (``token``) or by its id (no token)."""
    user = user_of(request)
    practice = catalogue.get("breathe_together")
    names = [str(n) for n in catalogue.PHASE_NAMES]
    phases = [
        {"index": i, "name": names[i], "seconds": s} for i, s in enumerate(breath.pattern) if s > 0
    ]
    is_host = breath.host_id == user.pk
    # While the seat is free, the host may keep it for one of their connections (through the
    # link, which holds the token the invitation needs); once kept, the page names whom for.
    offer_seat = is_host and bool(token) and breath.guest_id is None and breath.invitee_id is None
    kept = is_host and breath.invitee_id is not None
    connections = _invitees(user) if offer_seat or kept else []
    kept_for = next((p["label"] for p in connections if p["user_id"] == breath.invitee_id), None)
    context = {
        "breath": breath,
        "invitees": connections if offer_seat else [],
        "kept_for": kept_for,
        "practice": practice,
        "is_host": is_host,
        # The link to send exists only on the host's page reached through it: by id there is
        # no token to show, since only its hash is stored.
        "link": request.build_absolute_uri(reverse("practices:together", args=[token]))
        if token and is_host and breath.invitee_id is None
        else "",
        "token": token,
        "status_url": status_url,
        "end_url": end_url,
        "phases": phases,
        "started_ms": _ms(breath.started_at),
        "expires_ms": _ms(breath.expires_at),
        "minutes": SHARED_BREATH_MINUTES,
        "strings": player_strings(),
    }
    return render(request, "practices/together.html", context)


def _status(breath: SharedBreath) -> HttpResponse:
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


def _gone() -> HttpResponse:
    return _no_store(JsonResponse({"live": False}, status=410))


# ---- By the secret link (the host's own page, and "share a link") --------------------------


@require_GET
def together(request: HttpRequest, token: str) -> HttpResponse:
    user = user_of(request)
    try:
        breath = shared_breath_for(viewer=user, token=token)
    except BreathEnded:
        return _ended(request)
    breath = shared_breath_join(viewer=user, breath=breath)
    return _page(
        request,
        breath,
        token=token,
        status_url=reverse("practices:together_status", args=[token]),
        end_url=reverse("practices:together_end", args=[token]),
    )


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    user = user_of(request)
    try:
        breath = shared_breath_for(viewer=user, token=token)
    except BreathEnded:
        return _gone()
    return _status(breath)


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
    invitees = []
    for c in connections_of(viewer=user):
        other = connection_other(c, user)
        invitees.append(
            {"id": c.id, "user_id": other.pk, "label": labels.get(c.id) or display_name(other)}
        )
    return invitees


@require_POST
def invite(request: HttpRequest, token: str, connection_id: Any) -> HttpResponse:
    """Keep the seat for one active connection and send them a content-free notice."""
    user = user_of(request)
    try:
        breath = shared_breath_for(viewer=user, token=token)
    except BreathEnded:
        return redirect("practices:together", token=token)
    try:
        shared_breath_invite(actor=user, breath=breath, connection_id=connection_id)
    except SeatTaken:
        messages.error(
            request,
            _("The seat is already taken. Start a new shared breath to invite someone else."),
        )
    else:
        messages.success(request, _("Sent. They will find it among their notices."))
    return redirect("practices:together", token=token)


# ---- By id, for the invited connection (the notice's link carries no secret) --------------


@require_GET
def invited(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    try:
        breath = shared_breath_invited_for(viewer=user, id=id)
    except BreathEnded:
        return _ended(request)
    breath = shared_breath_join(viewer=user, breath=breath)
    return _page(
        request,
        breath,
        token=None,
        status_url=reverse("practices:together_invited_status", args=[breath.id]),
        end_url=reverse("practices:together_invited_end", args=[breath.id]),
    )


@require_GET
def invited_status(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    try:
        breath = shared_breath_invited_for(viewer=user, id=id)
    except BreathEnded:
        return _gone()
    return _status(breath)


@require_POST
def invited_end(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    try:
        breath = shared_breath_invited_for(viewer=user, id=id)
    except BreathEnded:
        return redirect("practices:together_invited", id=id)
    breath = shared_breath_join(viewer=user, breath=breath)
    shared_breath_end(actor=user, breath=breath)
    return redirect("practices:together_invited", id=id)
