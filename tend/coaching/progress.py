"""Practice progress: what a client shares when they grant ``practice_progress``.

Progress is the client's practice sessions (``practices.PracticeSession``) of the practices the
practitioner suggested over that connection, and only those, that ended while a suggestion of that
practice was live (from when it was made until it was withdrawn or set aside). Other practices the
client does are not included: the grant is about the suggestions, and the rest of their
practice history stays theirs. Per practice: how many sessions, and the intensity before and
after each, with one small chart drawn by the insights' chart helpers (``charts.lines``).

``progress_for`` is the one way to it for a viewer: it needs the live share, and records the
view with ``connections.share_services.share_viewed`` so the client sees who looked and when.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.coaching.models import Suggestion
from tend.coaching.suggestion_selectors import practice_of, progress_share_for
from tend.connections.models import Connection, Share
from tend.connections.share_services import share_viewed
from tend.core import dates
from tend.insights import charts
from tend.practices import catalogue
from tend.practices.models import PracticeSession

if TYPE_CHECKING:
    from tend.accounts.models import User

SESSIONS_MAX = 500
CHART_SESSIONS = 12
# A session lasts at most a day (``practicesession_duration_day``).
LONGEST_SESSION = dt.timedelta(days=1)


@dataclass
class SessionRow:
    started_at: dt.datetime
    when: str
    day: str  # the short date the chart's axis shows
    before: int | None
    after: int | None


@dataclass
class PracticeProgress:
    key: str
    title: str
    sessions: list[SessionRow] = field(default_factory=list)
    chart: charts.Chart | None = None

    @property
    def count(self) -> int:
        return len(self.sessions)


@dataclass
class Progress:
    share: Share
    practices: list[PracticeProgress]


def _key(code: str, custom_id: uuid.UUID | None) -> str:
    return f"{catalogue.CUSTOM}:{custom_id}" if custom_id else code


def _chart(item: PracticeProgress, index: int) -> charts.Chart:
    shown = item.sessions[-CHART_SESSIONS:]
    return charts.lines(
        key=f"practice-progress-{index}",
        title=_("Intensity before and after: %(practice)s") % {"practice": item.title},
        description=ngettext(
            "Intensity from 0 to 10 before and after the last session.",
            "Intensity from 0 to 10 before and after each of the last %(n)d sessions.",
            len(shown),
        )
        % {"n": len(shown)},
        x_labels=[row.day for row in shown],
        series=[
            # Calm colours: the primary tone before, the glimmer tone after; never red.
            (_("Before"), [row.before for row in shown], "primary"),
            (_("After"), [row.after for row in shown], "glimmer"),
        ],
        headers=[_("Session"), _("Before"), _("After")],
    )


def progress_of(*, owner: User, connection: Connection, tz_name: str) -> list[PracticeProgress]:
    """The owner's sessions of the practices suggested over ``connection``, while suggested."""
    suggestions = list(
        Suggestion.objects.filter(connection=connection, client=owner)
        .select_related("custom_practice__author__data_key")
        .order_by("created_at")
    )
    if not suggestions:
        return []
    windows: dict[str, list[tuple[dt.datetime, dt.datetime | None]]] = {}
    items: dict[str, PracticeProgress] = {}
    for suggestion in suggestions:
        key = _key(suggestion.practice_code, suggestion.custom_practice_id)
        windows.setdefault(key, []).append((suggestion.created_at, suggestion.ended_at))
        if key not in items:
            items[key] = PracticeProgress(key=key, title=str(practice_of(suggestion).title))
    codes = {s.practice_code for s in suggestions if s.custom_practice_id is None}
    customs = {s.custom_practice_id for s in suggestions if s.custom_practice_id is not None}
    tz = zoneinfo.ZoneInfo(tz_name)
    sessions = PracticeSession.objects.filter(
        Q(practice_code__in=codes) | Q(custom_practice_id__in=customs),
        author=owner,
        started_at__gte=suggestions[0].created_at - LONGEST_SESSION,
    ).order_by("-started_at")[:SESSIONS_MAX]
    # The newest SESSIONS_MAX, read oldest first.
    for session in list(sessions)[::-1]:
        key = _key(session.practice_code, session.custom_practice_id)
        # A session counts when it ended while the suggestion was live (one started from the
        # card a minute after the suggestion arrived ends after it, whatever its length).
        ended = session.started_at + dt.timedelta(seconds=session.duration_seconds)
        if not any(
            start <= ended and (end is None or session.started_at < end)
            for start, end in windows.get(key, [])
        ):
            continue
        items[key].sessions.append(
            SessionRow(
                started_at=session.started_at,
                when=dates.when(session.started_at.astimezone(tz), "short_day_month_time"),
                day=dates.when(session.started_at.astimezone(tz), "short_day_month"),
                before=session.intensity_before,
                after=session.intensity_after,
            )
        )
    result = list(items.values())
    for index, item in enumerate(result):
        if item.sessions:
            item.chart = _chart(item, index)
    return result


def progress_for(*, viewer: User, connection: Connection) -> Progress:
    """The client's practice progress for the practitioner, while shared; Http404 otherwise.

    Every call is a view of the client's data and is recorded as one (``share.viewed``).
    """
    share = progress_share_for(viewer=viewer, connection=connection)
    if share is None:
        raise Http404
    share_viewed(viewer=viewer, share=share)
    return Progress(
        share=share,
        practices=progress_of(owner=share.owner, connection=connection, tz_name=viewer.time_zone),
    )


def progress_of_share(*, viewer: User, share: Share) -> list[PracticeProgress]:
    """For connections' shared page: the share was found live and its view recorded there."""
    if share.scope != Share.Scope.PRACTICE_PROGRESS or share.recipient_id != viewer.pk:
        raise Http404
    return progress_of(owner=share.owner, connection=share.connection, tz_name=viewer.time_zone)
