"""Check-in pages: start one, answer privately, read both once everyone has answered."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tend.accounts.requests import person_of
from tend.connections.models import Share
from tend.connections.selectors import (
    connection_for,
    connection_other,
    connections_of,
    display_name,
    shares_of,
    shares_visible_to,
)
from tend.connections.share_services import share_viewed
from tend.connections.summary import weekly_summary_of
from tend.notifications.services import notifications_mark_read_for
from tend.rituals.agenda import AGENDA, MAX_ACTION_ITEMS
from tend.rituals.forms import ActionDoneForm, AnswerForm, CheckInStartForm
from tend.rituals.selectors import (
    answers_visible_to,
    checkin_for,
    checkins_visible_to,
    open_action_items_visible_to,
    own_action_item_for,
)
from tend.rituals.services import action_item_done, checkin_answer, checkin_start


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    people = [
        {"connection": c, "name": display_name(connection_other(c, user))}
        for c in connections_of(viewer=user)
    ]
    checkins = [
        {"checkin": c, "name": display_name(connection_other(c.connection, user))}
        for c in checkins_visible_to(viewer=user)[:20]
    ]
    return render(request, "rituals/checkins.html", {"people": people, "checkins": checkins})


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    form = CheckInStartForm(request.POST)
    form.is_valid()  # always: it only reads the post
    connection = connection_for(viewer=user, id=form.cleaned_data["connection"])
    checkin = checkin_start(actor=user, connection=connection)
    return redirect("rituals:checkin", id=checkin.id)


@require_GET
def detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    checkin = checkin_for(viewer=user, id=id)
    # Opening the check-in reads its notices ("you have a check-in", "answers are ready").
    notifications_mark_read_for(actor=user, link=request.path)
    answers = answers_visible_to(viewer=user, checkin=checkin)
    mine = next((a for a in answers if a.author_id == user.id), None)
    other = connection_other(checkin.connection, user)
    sections = [
        {
            "name": name,
            "label": label,
            "help": help_text,
            "answers": [
                {
                    "who": _("You") if a.author_id == user.id else display_name(other),
                    "text": getattr(a, name),
                }
                for a in answers
            ],
        }
        for name, label, help_text in AGENDA
    ]
    # Items from earlier check-ins carry over into this one; those said in this check-in are
    # its own, not "carried over" yet; later ones belong to later check-ins.
    carried, made_here = [], []
    for i in open_action_items_visible_to(viewer=user, connection=checkin.connection):
        row = {
            "item": i,
            "who": _("You") if i.author_id == user.id else display_name(other),
            "own": i.author_id == user.id,
        }
        if i.checkin_id == checkin.id:
            made_here.append(row)
        elif i.created_at < checkin.created_at:
            carried.append(row)
    # Only what the other chose to share with the viewer, live right now (unrevoked, unexpired).
    shared = (
        shares_visible_to(viewer=user).filter(owner=other, scope=Share.Scope.WEEKLY_SUMMARY).first()
    )
    their_week = None
    if shared:
        # Seen here as on the shared page: the owner's list of who opened what includes it.
        share_viewed(viewer=user, share=shared)
        their_week = {
            "share": shared,
            "summary": weekly_summary_of(
                owner=shared.owner, include_stories=shared.include_stories
            ),
        }
    i_share = (
        shares_of(owner=user).filter(recipient=other, scope=Share.Scope.WEEKLY_SUMMARY).exists()
    )
    return render(
        request,
        "rituals/checkin.html",
        {
            "checkin": checkin,
            "their_week": their_week,
            "i_share_my_week": i_share,
            "other_name": display_name(other),
            "mine": mine,
            "sections": sections,
            "agenda": AGENDA,
            "carried": carried,
            "made_here": made_here,
            "action_slots": range(MAX_ACTION_ITEMS),
        },
    )


@require_POST
def answer(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    checkin = checkin_for(viewer=user, id=id)
    form = AnswerForm(request.POST)
    form.is_valid()  # always: the service judges the answers
    try:
        checkin_answer(
            actor=user,
            checkin=checkin,
            answers=form.answers(),
            action_items=form.action_items(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. Your answers are saved."))
    return redirect("rituals:checkin", id=checkin.id)


@require_POST
def action_done(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    item = own_action_item_for(viewer=user, id=id)
    action_item_done(actor=user, item=item)
    messages.success(request, _("Marked as done."))
    form = ActionDoneForm(request.POST)
    form.is_valid()  # always: it only reads the post
    back = form.cleaned_data["next"]
    if back.startswith("/rituals/") and not back.startswith("//"):
        return redirect(back)
    return redirect("rituals:checkins")
