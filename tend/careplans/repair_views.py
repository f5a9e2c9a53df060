"""The repair flow: pause with a return time, regulate, return, debrief; a log per connection."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tend.accounts.models import User
from tend.careplans.models import CarePlan
from tend.careplans.selectors import (
    careplans_visible_to,
    debriefs_for,
    repair_for,
    repairs_visible_to,
)
from tend.careplans.services import debrief_write, repair_pause
from tend.connections.selectors import (
    connection_for,
    connection_other,
    connections_of,
    display_name,
)

PAUSE_CHOICES = (20, 30, 60, 120)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    people = [
        {
            "connection": c,
            "name": display_name(connection_other(c, user)),
            "log": list(repairs_visible_to(viewer=user, connection=c)[:10]),
        }
        for c in connections_of(viewer=user)
    ]
    return render(request, "careplans/repair.html", {"people": people, "choices": PAUSE_CHOICES})


@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    connection = connection_for(viewer=user, id=request.POST.get("connection", ""))
    try:
        minutes = int(request.POST.get("minutes", "30"))
        repair = repair_pause(actor=user, connection=connection, minutes=minutes)
    except (ValueError, ValidationError):
        messages.error(request, _("Choose a time between 5 minutes and a day."))
        return redirect("careplans:repair")
    return redirect("careplans:repair_detail", id=repair.id)


@require_GET
def detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    repair = repair_for(viewer=user, id=id)
    other = connection_other(repair.connection, user)
    mine, theirs = debriefs_for(viewer=user, repair=repair)
    plan: CarePlan | None = (
        careplans_visible_to(viewer=user).filter(connection=repair.connection).first()
    )
    return render(
        request,
        "careplans/repair_detail.html",
        {
            "repair": repair,
            "other_name": display_name(other),
            "return_local": repair.return_at.astimezone(user.tz),
            "mine": mine,
            "theirs": theirs,
            "plan": plan,
        },
    )


@require_POST
def debrief(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    repair = repair_for(viewer=user, id=id)
    try:
        debrief_write(
            actor=user,
            repair=repair,
            what_happened=request.POST.get("what_happened", ""),
            my_part=request.POST.get("my_part", ""),
            try_next=request.POST.get("try_next", ""),
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("Thank you for coming back. That is the repair."))
    return redirect("careplans:repair_detail", id=repair.id)
