"""The repair flow: pause with a return time, regulate, return, debrief; a log per connection."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tend.accounts.requests import person_of
from tend.careplans.forms import DebriefForm, PauseForm
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


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
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
    user = person_of(request)
    form = PauseForm(request.POST)
    valid = form.is_valid()
    connection = connection_for(viewer=user, id=form.cleaned_data["connection"])
    try:
        if not valid:
            raise ValidationError(list(form.errors["minutes"]))
        repair = repair_pause(
            actor=user, connection=connection, minutes=form.cleaned_data["minutes"]
        )
    except ValidationError:
        messages.error(request, _("Choose a time between 5 minutes and a day."))
        return redirect("careplans:repair")
    return redirect("careplans:repair_detail", id=repair.id)


@require_GET
def detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
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
    user = person_of(request)
    repair = repair_for(viewer=user, id=id)
    form = DebriefForm(request.POST)
    form.is_valid()  # always: the service judges the words
    try:
        debrief_write(actor=user, repair=repair, **form.cleaned_data)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("Thank you for coming back. That is the repair."))
    return redirect("careplans:repair_detail", id=repair.id)
