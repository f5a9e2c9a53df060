"""Pages: Safety Check, and the discreet name it offers beside it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.connections import selectors, services
from tend.connections.forms import DiscreetForm, SafetyCheckForm
from tend.connections.models import DiscreetSetting


@require_POST
def discreet(request: HttpRequest) -> HttpResponse:
    form = DiscreetForm(request.POST)
    form.is_valid()  # always: it only reads the post
    neutral = form.cleaned_data["neutral_name"]
    services.discreet_setting_update(actor=person_of(request), neutral_name=neutral)
    messages.success(
        request,
        _("Tend now shows as “Notes” in the tab and the top bar.")
        if neutral
        else _("Tend shows its own name again."),
    )
    return redirect(reverse("connections:safety") + "#discreet")


# --- Safety Check ---------------------------------------------------------------------------


def _careplans_with_others(user: User) -> dict[str, int]:
    """How many care plans ``user`` shares, by what Safety Check does to them: a plan with one
    person ends with that connection, for both; from a plan with several the person leaves, and
    it goes on for the others without their tender places (see careplans.signals)."""
    from tend.careplans.selectors import careplans_visible_to

    plans = careplans_visible_to(viewer=user)
    return {
        "careplans_closed": plans.filter(connection__isnull=False).count(),
        "careplans_left": plans.filter(connection__isnull=True).count(),
    }


@require_http_methods(["GET", "POST"])
def safety(request: HttpRequest) -> HttpResponse:
    """Safety Check: what it will do, one confirmation (``?confirm=1``), then one POST."""
    user = person_of(request)
    if request.method == "POST":
        form = SafetyCheckForm(request.POST)
        form.is_valid()  # always: it only reads the post
        if form.cleaned_data["confirm"] != "yes":
            return redirect("connections:safety")
        # Counted before: afterwards the person is in none of them.
        plans = _careplans_with_others(user)
        counts = services.safety_check_run(actor=user, keep_session_key=request.session.session_key)
        return render(request, "connections/safety_done.html", {"counts": counts, **plans})
    connections = list(selectors.connections_of(viewer=user))
    return render(
        request,
        "connections/safety.html",
        {
            "confirming": request.GET.get("confirm") == "1",
            "connections": [
                {
                    "connection": c,
                    "name": selectors.display_name(selectors.connection_other(c, user)),
                }
                for c in connections
            ],
            "share_count": selectors.shares_of(owner=user).count(),
            "invitation_count": selectors.invitations_of(viewer=user).count(),
            "neutral_name": DiscreetSetting.objects.filter(user=user, neutral_name=True).exists(),
            **_careplans_with_others(user),
        },
    )
