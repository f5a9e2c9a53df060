"""Notification pages: the list of notices, preferences and push devices, the push worker."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.requests import person_of
from tend.notifications.forms import PreferencesForm
from tend.notifications.messages import message_for
from tend.notifications.push import public_key
from tend.notifications.selectors import (
    notifications_of,
    preferences_of,
    push_subscriptions_of,
)
from tend.notifications.services import (
    notifications_mark_read,
    preferences_update,
    push_unsubscribe,
)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    notices = list(notifications_of(viewer=user)[:50])
    for notice in notices:
        notice.message = message_for(  # type: ignore[attr-defined]
            notice.code, user if notice.read_at is None else None
        )
    return render(request, "notifications/index.html", {"notices": notices})


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(actor=person_of(request))
    return redirect("notifications:index")


@require_POST
def open_notice(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    notice = notifications_of(viewer=person_of(request)).filter(id=id).first()
    if notice is None:
        raise Http404
    notifications_mark_read(actor=person_of(request), ids=[notice.id])
    # Links are paths into Tend that the app itself wrote; never an outside address.
    target = notice.link if notice.link.startswith("/") and not notice.link.startswith("//") else ""
    return redirect(target or "notifications:index")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    prefs = preferences_of(viewer=user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences_update(actor=user, **form.cleaned_data)
            messages.success(request, _("Saved. Tend will remind you as you chose."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(
            initial={
                "email": prefs.email,
                "push": prefs.push,
                "quiet_start": prefs.quiet_start,
                "quiet_end": prefs.quiet_end,
            }
        )
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "devices": push_subscriptions_of(viewer=user),
            "vapid_public_key": public_key(),
            "time_zone": user.time_zone,
        },
    )


@require_POST
def device_remove(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    if not push_unsubscribe(actor=person_of(request), subscription_id=id):
        raise Http404
    messages.success(request, _("That device will no longer get reminders."))
    return redirect("notifications:preferences")


@login_not_required
@require_GET
def push_worker(request: HttpRequest) -> HttpResponse:
    """The push service worker (scope /notifications/): shows content-free notices."""
    response = HttpResponse(
        render_to_string("notifications/push-sw.js"), content_type="text/javascript"
    )
    response["Cache-Control"] = "no-cache"
    return response
