"""Care plan pages: plans, proposals with a readable diff, agreeing, history, the calm
conversation guide."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.careplans import document
from tend.careplans.forms import GuideForm, NewPlanForm, ReviewForm
from tend.careplans.models import CarePlan, Version
from tend.careplans.selectors import (
    active_version,
    agreements_of,
    careplan_for,
    careplans_listed_for,
    left_ids,
    parties_of,
    place_themes_of,
    try_next_from_repair,
    version_document,
    version_for,
    versions_listed_for,
    versions_of,
    waiting_for_viewer,
)
from tend.careplans.services import (
    agreement_give,
    agreement_withdraw,
    careplan_create,
    careplan_edit,
    proposal_create,
    proposal_decline,
    review_date_set,
)
from tend.connections.selectors import (
    connection_for,
    connection_other,
    connections_of,
    display_name,
)
from tend.journal.themes import themes_of
from tend.notifications.services import reminder_schedule

GUIDE_QUESTIONS = (
    _("What parts of me dating other people feel scary or unsettling?"),
    _("What can I do to help you feel seen and prioritized?"),
)


def _names(plan: CarePlan, viewer: User) -> dict[str, str]:
    return {
        str(p.id): (_("you") if p.id == viewer.id else display_name(p)) for p in parties_of(plan)
    }


def _names_with_left(plan: CarePlan, viewer: User) -> dict[str, str]:
    """``_names``, and "someone who left" for the authors and agreements of older versions."""
    return {**dict.fromkeys(left_ids(plan), _("someone who left")), **_names(plan, viewer)}


def _title(plan: CarePlan, viewer: User) -> str:
    others = [n for k, n in _names(plan, viewer).items() if k != str(viewer.id)]
    return _("Care plan with %(names)s") % {"names": ", ".join(others)}


def _render_doc(
    doc: dict[str, Any], names: dict[str, str], links: dict[str, Any] | None = None
) -> dict[str, Any]:
    labels = document.place_labels()
    places = [
        {
            "name": p["name"],
            "theme": (links or {}).get(p.get("id", "")),
            "who": names.get(p["owner"], "?"),
            "fields": [(labels[f], p[f]) for f in document.PLACE_FIELDS[1:] if p.get(f)],
        }
        for p in doc.get("places", [])
    ]
    return {"places": places, "sections": doc.get("sections", [])}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    plans = [
        {
            "plan": plan,
            "title": _title(plan, user),
            "active": active_version(plan),
            "waiting": waiting_for_viewer(plan),
        }
        for plan in careplans_listed_for(viewer=user)
    ]
    return render(request, "careplans/index.html", {"plans": plans})


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    people = [
        {"id": str(c.id), "name": display_name(connection_other(c, user))}
        for c in connections_of(viewer=user)
    ]
    error = ""
    if request.method == "POST":
        form = NewPlanForm(request.POST)
        form.is_valid()  # always: it only reads the ids
        chosen = [connection_for(viewer=user, id=i) for i in form.cleaned_data["connection"]]
        try:
            plan = careplan_create(actor=user, connections=chosen)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("careplans:plan", id=plan.id)
    return render(request, "careplans/new.html", {"people": people, "error": error})


@require_GET
def plan(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    names = _names_with_left(care, user)
    active = active_version(care)
    agreed = agreements_of(active) if active else []
    proposals = [
        {
            "version": v,
            "author": names.get(str(v.author_id), "?"),
            "mine_agreed": any(a.user_id == user.id for a in v.agreements.all()),
        }
        for v in versions_of(care)
        .filter(status=Version.Status.PROPOSED)
        .prefetch_related("agreements")
    ]
    return render(
        request,
        "careplans/plan.html",
        {
            "plan": care,
            "title": _title(care, user),
            "active": active,
            "doc": _render_doc(
                version_document(active, left=left_ids(care)),
                names,
                place_themes_of(viewer=user, plan=care),
            )
            if active
            else None,
            "proposals": proposals,
            "agreements": [{"a": a, "who": names.get(str(a.user_id), "?")} for a in agreed],
            "i_agree": any(a.user_id == user.id and a.withdrawn_at is None for a in agreed),
        },
    )


def _doc_from_post(
    request: HttpRequest, viewer: User
) -> tuple[dict[str, Any], dict[str, str | None]]:
    """The proposed document, and the viewer's theme links by place id.

    A link is read only where its select was posted, and only for the viewer's own places: a
    form without the select (no themes to offer) leaves the links there are untouched. A new
    place gets its id here, so that its link can be keyed by it.
    """
    post = request.POST
    places = []
    links: dict[str, str | None] = {}
    for n in range(int(post.get("place_count", "0") or 0)):
        key = f"place-{n}-"
        if post.get(key + "remove") == "on" or not post.get(key + "name", "").strip():
            continue
        place = {f: post.get(key + f, "") for f in document.PLACE_FIELDS}
        place["id"] = post.get(key + "id", "")[:40] or document.new_id()
        place["owner"] = post.get(key + "owner", "") or str(viewer.id)
        if key + "theme" in post and place["owner"] == str(viewer.id):
            links[place["id"]] = post[key + "theme"] or None
        places.append(place)
    sections = []
    for n in range(int(post.get("section_count", "0") or 0)):
        key = f"section-{n}-"
        if post.get(key + "remove") == "on" or not post.get(key + "title", "").strip():
            continue
        sections.append(
            {
                "id": post.get(key + "id", ""),
                "title": post.get(key + "title", ""),
                "body": post.get(key + "body", ""),
            }
        )
    return {"places": places, "sections": sections}, links


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    names = _names(care, user)
    active = active_version(care)
    doc = version_document(active, left=left_ids(care)) if active else document.empty()
    error = ""
    if request.method == "POST":
        try:
            doc, links = _doc_from_post(request, user)
            # Theme links are private to their owner and never part of the proposal.
            version = careplan_edit(actor=user, plan=care, content=doc, links=links)
        except (ValidationError, ValueError) as problem:
            error = " ".join(getattr(problem, "messages", [_("That could not be read.")]))
        else:
            if version is None:
                messages.success(request, _("Your private theme links are saved."))
                return redirect("careplans:plan", id=care.id)
            if version.status == Version.Status.ACTIVE:
                messages.success(request, _("Version %(n)d is active.") % {"n": version.number})
            else:
                messages.success(
                    request,
                    _(
                        "Your proposal is shared. It becomes part of the plan "
                        "when everyone has agreed."
                    ),
                )
            return redirect("careplans:version", id=care.id, version_id=version.id)
    labels = document.place_labels()
    linked = place_themes_of(viewer=user, plan=care)
    # A place linked to a theme set aside since keeps it on offer (marked archived): otherwise
    # the select would show "No link" and saving the form would unlink it.
    kept = {theme.id for theme in linked.values()}
    own_themes = [t for t in themes_of(viewer=user) if not t.archived or t.id in kept]
    places = [
        {
            "n": n,
            "place": p,
            "who": names.get(p["owner"], "?"),
            "mine": p["owner"] == str(user.id),
            "theme_id": str(linked[p["id"]].id) if p.get("id") in linked else "",
            "fields": [(f, labels[f], p.get(f, "")) for f in document.PLACE_FIELDS],
        }
        for n, p in enumerate([*doc["places"], {"id": "", "owner": str(user.id)}])
    ]
    blank = {"id": "", "title": "", "body": ""}
    if request.method == "GET" and request.GET.get("from_repair"):
        blank = _from_repair(user, care, request.GET["from_repair"]) or blank
    sections = list(enumerate([*doc["sections"], blank]))
    return render(
        request,
        "careplans/propose.html",
        {
            "plan": care,
            "title": _title(care, user),
            "places": places,
            "sections": sections,
            "place_count": len(places),
            "section_count": len(sections),
            "error": error,
            "existing": len(doc["places"]),
            "own_themes": own_themes,
        },
    )


def _from_repair(user: User, care: CarePlan, repair_id: str) -> dict[str, str] | None:
    """A new section holding the viewer's own "what I'll try next" from a repair debrief."""
    try_next = try_next_from_repair(viewer=user, plan=care, repair_id=repair_id)
    return {"id": "", "title": _("What I'll try next"), "body": try_next} if try_next else None


@require_GET
def version(request: HttpRequest, id: uuid.UUID, version_id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    names = _names_with_left(care, user)
    left = left_ids(care)
    shown = version_for(plan=care, id=version_id)
    doc = version_document(shown, left=left)

    def name_of(uid: str) -> str:
        return names.get(uid, "?")

    before = document.lines(version_document(shown.base, left=left), name_of) if shown.base else []
    after = document.lines(doc, name_of)
    agreements = agreements_of(shown)
    agreed_ids = {a.user_id for a in agreements if a.withdrawn_at is None}
    waiting_for = [n for k, n in _names(care, user).items() if uuid.UUID(k) not in agreed_ids]
    return render(
        request,
        "careplans/version.html",
        {
            "plan": care,
            "title": _title(care, user),
            "version": shown,
            "author": names.get(str(shown.author_id), "?"),
            "doc": _render_doc(doc, names),
            "diff": document.diff(before, after),
            "agreements": [{"a": a, "who": names.get(str(a.user_id), "?")} for a in agreements],
            "waiting_for": waiting_for if shown.status == Version.Status.PROPOSED else [],
            "can_agree": shown.status == Version.Status.PROPOSED and user.id not in agreed_ids,
        },
    )


@require_POST
def agree(request: HttpRequest, id: uuid.UUID, version_id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    shown = version_for(plan=care, id=version_id)
    try:
        active = agreement_give(actor=user, plan=care, version=shown)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("careplans:version", id=care.id, version_id=shown.id)
    shown.refresh_from_db()
    if active:
        messages.success(
            request, _("Everyone agreed. Version %(n)d is active.") % {"n": shown.number}
        )
        return redirect("careplans:plan", id=care.id)
    messages.success(request, _("Thank you. The others have been told."))
    return redirect("careplans:version", id=care.id, version_id=shown.id)


@require_POST
def decline(request: HttpRequest, id: uuid.UUID, version_id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    shown = version_for(plan=care, id=version_id)
    try:
        proposal_decline(actor=user, plan=care, version=shown)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(
            request, _("Not agreed for now. You can talk it through and propose something else.")
        )
    return redirect("careplans:plan", id=care.id)


@require_POST
def withdraw(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    try:
        agreement_withdraw(actor=user, plan=care)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("Your agreement is withdrawn. The plan is under review."))
    return redirect("careplans:plan", id=care.id)


@require_GET
def history(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    names = _names_with_left(care, user)
    rows = [
        {
            "version": v,
            "author": names.get(str(v.author_id), "?"),
            "agreements": [
                {"who": names.get(str(a.user_id), "?"), "a": a} for a in agreements_of(v)
            ],
        }
        for v in versions_listed_for(care)
    ]
    return render(
        request, "careplans/history.html", {"plan": care, "title": _title(care, user), "rows": rows}
    )


@require_POST
def review(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a date for the review."))
        return redirect("careplans:plan", id=care.id)
    day = form.cleaned_data["review_on"]
    review_date_set(actor=user, plan=care, review_on=day)
    messages.success(
        request, _("Saved. Everyone will get a gentle reminder that day.") if day else _("Saved.")
    )
    return redirect("careplans:plan", id=care.id)


@require_http_methods(["GET", "POST"])
def guide(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = person_of(request)
    care = careplan_for(viewer=user, id=id)
    step = request.GET.get("step", "check")
    if request.method == "POST":
        form = GuideForm(request.POST)
        form.is_valid()  # always: the proposal's service judges the answers
        posted = form.cleaned_data
        action = posted["action"]
        if action == "later":
            due = timezone.now() + dt.timedelta(hours=posted["hours"])
            reminder_schedule(
                recipient=user,
                code="careplan.conversation",
                key=f"careplan:{care.id}:later:{user.id}:{due:%Y%m%d%H%M}",
                due_at=due,
                link=f"/careplans/{care.id}/guide/",
            )
            messages.success(
                request, _("We'll remind you later. Take good care of yourself until then.")
            )
            return redirect("careplans:plan", id=care.id)
        if action == "propose":
            active = active_version(care)
            doc = version_document(active, left=left_ids(care)) if active else document.empty()
            doc["places"].append(
                {
                    "owner": str(user.id),
                    "name": posted["name"],
                    "feels_like": posted["scary"],
                    "ask_for": posted["seen"],
                }
            )
            try:
                version = proposal_create(actor=user, plan=care, content=doc)
            except ValidationError as problem:
                messages.error(request, " ".join(problem.messages))
                return redirect(f"/careplans/{care.id}/guide/?step=questions")
            messages.success(
                request,
                _(
                    "Your answers are now a proposal. "
                    "The others can read it and agree, or talk it over."
                ),
            )
            return redirect("careplans:version", id=care.id, version_id=version.id)
    return render(
        request,
        "careplans/guide.html",
        {"plan": care, "title": _title(care, user), "step": step, "questions": GUIDE_QUESTIONS},
    )
