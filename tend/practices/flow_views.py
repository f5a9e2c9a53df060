"""The "I'm activated" flow: how intense → which state (optional) → two or three practices →
the guided practice → how intense now → saved as a moment with its practice session.

Each step is a plain GET page carrying what was chosen so far in its query, so the back button
works, nothing is stored until the person rates again, and every step works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tend.journal import vocabulary
from tend.practices import catalogue
from tend.practices.crisis import HELPLINE_DIRECTORY, crisis_lines
from tend.practices.selectors import practice_for
from tend.practices.services import activation_outcome_save
from tend.practices.suggest import suggestions_for
from tend.practices.views import MAX_SECONDS, MIN_SECONDS, _is_uuid, _player, int_param, user_of


def _carry(request: HttpRequest) -> dict[str, str]:
    """What later steps keep from the query: a moment being logged, a shortened length."""
    carried: dict[str, str] = {}
    moment = request.GET.get("moment")
    if _is_uuid(moment):
        carried["moment"] = str(moment)
    seconds = int_param(request.GET.get("seconds"), MIN_SECONDS, MAX_SECONDS)
    if seconds:
        carried["seconds"] = str(seconds)
    return carried


@require_GET
def activated(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    intensity = int_param(request.GET.get("intensity"), 0, 10)
    state = request.GET.get("state")
    if state is not None and state not in vocabulary.codes("states"):
        state = ""
    unsafe = request.GET.get("unsafe") == "1"
    carry = _carry(request)
    context: dict[str, Any] = {
        "intensity": intensity,
        "state": state or "",
        "state_label": vocabulary.label("states", state) if state else "",
        "carry": carry,
        "scale": range(11),
        # The flow is for an activation: the states of threat, not a glimmer's states of safety.
        "states": vocabulary.states_for("activation"),
        # At the top of the scale, or when asked for, safety is offered first. Never forced:
        # every way on stays open.
        "offer_safety": unsafe or intensity == 10,
        "crisis_lines": crisis_lines(),
        "helpline_directory": HELPLINE_DIRECTORY,
        "grounding": [catalogue.get("feet_on_floor"), catalogue.get("grounding_54321")],
        "reach_out": catalogue.get("reach_out"),
    }
    if unsafe and intensity is None:
        step = "safety"
    elif intensity is None:
        step = "intensity"
    elif state is None:
        step = "state"
    else:
        step = "suggest"
        suggestions = suggestions_for(viewer=user, state=state or "")
        context["suggestions"] = [
            {
                "s": s,
                "url": _start_url(s.practice, intensity=intensity, state=state or "", carry=carry),
            }
            for s in suggestions
        ]
    context["step"] = step
    context["back_query"] = urlencode(carry)
    context["state_query"] = urlencode({**carry, "intensity": str(intensity or 0)})
    return render(request, "practices/activated.html", context)


def _start_url(
    practice: catalogue.Practice, *, intensity: int, state: str, carry: dict[str, str]
) -> str:
    from tend.practices.views import player_url

    query = {"flow": "1", "intensity": str(intensity), **({"state": state} if state else {})}
    return player_url(practice) + "?" + urlencode({**query, **carry})


@require_POST
def activated_save(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    data = request.POST
    code = data.get("practice_code", "")
    custom_id = data.get("custom_practice_id") or None
    practice = practice_for(viewer=user, code=code, custom_id=custom_id)
    try:
        _moment, session, _created = activation_outcome_save(
            author=user,
            practice_code=code,
            custom_practice_id=custom_id,
            intensity_before=data.get("intensity_before"),
            intensity_after=data.get("intensity_after"),
            state=data.get("state", ""),
            duration_seconds=data.get("duration_seconds") or 0,
            started_at=data.get("started_at") or None,
            moment_id=data.get("moment") or None,
            words=data.get("words", "")[:2000],
            idempotency_key=data.get("idempotency_key") or None,
        )
    except ValidationError as error:
        return _player(request, practice, status=400, rate_errors=error.messages)
    before, after = session.intensity_before, session.intensity_after
    if before is not None and after is not None:
        messages.success(
            request,
            _("Saved: from %(before)s to %(after)s. It is in your journal too.")
            % {"before": before, "after": after},
        )
    else:
        messages.success(request, _("Saved. It is in your journal too."))
    return redirect("practices:session", id=session.id)
