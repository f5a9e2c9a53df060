from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from tend.core.languages import language_for

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

_USER_AGENT_MAX_LENGTH = UserSession._meta.get_field("user_agent").max_length or 0


class TimezoneMiddleware:
    """Render every page in the signed-in person's own time zone and language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tz)
            language = language_for(user.language)
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        else:
            timezone.deactivate()
        return self.get_response(request)


# How stale a session's "last active" may get. allauth's own middleware saves the session's
# row on every signed-in request (a write, so an fsync on SQLite, per page view); once a minute
# is as fine as the session list shows it ("last active 3 minutes ago").
ACTIVITY_RESOLUTION = timedelta(minutes=1)
# Sessions whose last note this process remembers; beyond this many it forgets them all (a
# forgotten session costs one indexed SELECT on its next request, nothing more).
_NOTED_LIMIT = 10_000
_noted: dict[str, datetime] = {}


def session_activity_note(request: HttpRequest, *, user: Any, session: SessionBase) -> None:
    """Record that the session was active, unless that was recorded less than a minute ago.

    This process remembers when it last saw each session recorded, so most requests make no
    query at all; otherwise one SELECT tells whether the row (perhaps written by another
    worker) is fresh. Only a stale, missing or changed row (new address or browser) is written,
    through allauth's own ``create_from_request``, which also sends its
    ``session_client_changed`` signal.
    """
    key = session.session_key
    if key is None:
        return
    now = timezone.now()
    noted = _noted.get(key)
    if noted is not None and now - noted < ACTIVITY_RESOLUTION:
        return
    row = (
        UserSession.objects.filter(session_key=key)
        .values_list("last_seen_at", "ip", "user_agent", "user_id")
        .first()
    )
    ip = get_adapter().get_client_ip(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:_USER_AGENT_MAX_LENGTH]
    if (
        row is None
        or now - row[0] >= ACTIVITY_RESOLUTION
        or (row[1], row[2], row[3]) != (ip, user_agent, user.pk)
    ):
        UserSession.objects.create_from_request(request, user=user, session=session)
        noted = now
    else:
        noted = row[0]
    if len(_noted) >= _NOTED_LIMIT:
        _noted.clear()
    _noted[key] = noted


class SessionActivityMiddleware:
    """allauth's ``UserSessionsMiddleware``, writing a session's activity at most once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # The session key first: a request without a session cookie (the API with a token)
        # then never loads a session or a user.
        if session is not None and session.session_key:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                session_activity_note(request, user=user, session=session)
        return self.get_response(request)
