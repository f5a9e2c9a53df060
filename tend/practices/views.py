"""The practices' pages: the library, the player, one's own practices and the history."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.journal import vocabulary
from tend.practices import catalogue
from tend.practices.forms import CustomPracticeForm
from tend.practices.selectors import (
    as_practice,
    custom_practice_for,
    custom_practices_of,
    practice_for,
    session_for,
    sessions_of,
)
from tend.practices.services import (
    custom_practice_create,
    custom_practice_delete,
    custom_practice_update,
    practice_session_record,
)

HISTORY_PAGE_SIZE = 20
# A shortened run (for a person short of time, and for tests): 4 seconds up to an hour.
MIN_SECONDS, MAX_SECONDS = 4, 3600


def user_of(request: HttpRequest) -> User:
    # LoginRequiredMiddleware guarantees a signed-in person on every practices page.
    assert isinstance(request.user, User)
    return request.user


def int_param(value: str | None, low: int, high: int) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if low <= number <= high else None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The library. Nothing personal is on it, so the service worker may keep it offline."""
    sections = [
        {
            "code": code,
            "label": label,
            "practices": [p for p in catalogue.PRACTICES if p.kind == code],
        }
        for code, label in catalogue.KINDS
    ]
    return render(request, "practices/index.html", {"sections": sections})


def _player(
    request: HttpRequest, practice: catalogue.Practice, *, status: int = 200, **extra: Any
) -> HttpResponse:
    seconds = int_param(request.GET.get("seconds"), MIN_SECONDS, MAX_SECONDS)
    duration = seconds or practice.duration_seconds
    flow: dict[str, Any] | None = None
    source = request.POST if request.method == "POST" else request.GET
    if source.get("flow") == "1":
        before = source.get("intensity_before", source.get("intensity"))
        state = source.get("state", "")
        flow = {
            "intensity": int_param(before, 0, 10),
            "state": state if state in vocabulary.codes("states") else "",
            "moment": source.get("moment", "") if _is_uuid(source.get("moment")) else "",
            "key": source.get("idempotency_key") or str(uuid.uuid4()),
        }
    lengths = [(seconds, _mmss_label(seconds)) for seconds in (60, 120, 180, 300, 600)]
    if duration not in dict(lengths):
        lengths = sorted([*lengths, (duration, _mmss_label(duration))])
    context = {
        "practice": practice,
        "duration": duration,
        "duration_text": f"{duration // 60}:{duration % 60:02d}",
        "lengths": lengths,
        "strings": player_strings(),
        "phases_json": json.dumps(practice.phases()),
        "steps": [str(step) for step in practice.steps],
        "flow": flow,
        "states": vocabulary.STATES,
        "scale": range(11),
        **extra,
    }
    return render(request, "practices/player.html", context, status=status)


def player_strings() -> dict[str, str]:
    """The words the player's script shows, translated here (the script has no gettext)."""
    return {
        "done": _("Done. Notice how you feel."),
        "stopped": _("Stopped. Notice how you feel."),
        "again": _("Again"),
        "pause": pgettext("pause the practice", "Pause"),
        "resume": _("Resume"),
        "paused": _("Paused"),
        "unreachable": _("Could not reach the server. Reload to try again."),
        "step": _("Step {n} of {total}"),
        "finish": _("Done"),
        "next": _("Next"),
    }


def _mmss_label(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return f"{seconds // 60}:{seconds % 60:02d}"


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@require_GET
def player(request: HttpRequest, code: str) -> HttpResponse:
    return _player(request, practice_for(viewer=user_of(request), code=code))


@require_GET
def own_player(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    practice = practice_for(viewer=user, code="", custom_id=id)
    # A practitioner's practice suggested to the viewer plays here too, but is not theirs to edit.
    suggested = not custom_practices_of(viewer=user).filter(id=id).exists()
    return _player(request, practice, suggested=suggested)


@require_GET
def own(request: HttpRequest) -> HttpResponse:
    practices = [as_practice(c) for c in custom_practices_of(viewer=user_of(request))]
    return render(request, "practices/own.html", {"practices": practices})


@require_http_methods(["GET", "POST"])
def own_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = CustomPracticeForm(request.POST or None)
    if request.method == "POST" and (fields := form.check()) is not None:
        try:
            practice = custom_practice_create(author=user, **fields)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Your practice is saved. Only you can see it."))
            return redirect("practices:own_player", id=practice.id)
    status = 400 if request.method == "POST" else 200
    return render(request, "practices/own_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def own_edit(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    practice = custom_practice_for(viewer=user, id=id)
    if request.method == "POST":
        form = CustomPracticeForm(request.POST)
        if (fields := form.check()) is not None:
            try:
                custom_practice_update(actor=user, practice=practice, **fields)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Saved."))
                return redirect("practices:own_player", id=practice.id)
    else:
        form = CustomPracticeForm(initial=CustomPracticeForm.initial_from(practice))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "practices/own_form.html", {"form": form, "practice": practice}, status=status
    )


@require_POST
def own_delete(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    custom_practice_delete(actor=user, practice=custom_practice_for(viewer=user, id=id))
    messages.success(request, _("Deleted. Its sessions stay in your history."))
    return redirect("practices:own")


@require_GET
def history(request: HttpRequest) -> HttpResponse:
    page = Paginator(sessions_of(viewer=user_of(request)), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "practices/history.html", {"page": page})


@require_GET
def session_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    session = session_for(viewer=user_of(request), id=id)
    return render(request, "practices/session.html", {"session": session})


@require_POST
def session_record(request: HttpRequest) -> HttpResponse:
    """A run from the library (not the "I'm activated" flow): a session without a moment."""
    user = user_of(request)
    data = request.POST
    code = data.get("practice_code", "")
    custom_id = data.get("custom_practice_id") or None
    practice = practice_for(viewer=user, code=code, custom_id=custom_id)
    try:
        session = practice_session_record(
            author=user,
            practice_code=code,
            custom_practice_id=custom_id,
            intensity_before=data.get("intensity_before"),
            intensity_after=data.get("intensity_after"),
            duration_seconds=data.get("duration_seconds"),
            started_at=data.get("started_at"),
        )
    except ValidationError as error:
        return _player(request, practice, status=400, rate_errors=error.messages)
    messages.success(request, _("Saved to your practice history."))
    return redirect("practices:session", id=session.id)


def player_url(practice: catalogue.Practice) -> str:
    if practice.custom_id:
        return reverse("practices:own_player", kwargs={"id": practice.custom_id})
    return reverse("practices:player", kwargs={"code": practice.code})
