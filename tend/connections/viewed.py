"""Who looked at what a person shares, in plain sentences, for that person only.

"Dana looked at your trigger map (the last 30 days) on Tuesday 1 December." Read from the
audit events ``share.viewed`` whose subject is the owner (``selectors.share_views_of``): the
viewer by the name the owner knows them by (their own label for the connection, else the name
the viewer goes by), the scope in words, the period read (the event keeps its numbers and
dates, never what it showed), the day in the owner's time zone and language. Views of the same
thing, for the same period, on the same day are one sentence ("3 times").
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.connections.models import Share
from tend.connections.selectors import display_name, labels_of, share_views_of, shares_of
from tend.core.dates import when

if TYPE_CHECKING:
    from tend.accounts.models import User
    from tend.connections.models import Connection


@dataclass
class Look:
    sentence: str
    times: int
    at: dt.datetime  # the latest of them
    still_shared: bool


def _day(at: dt.datetime, tz: dt.tzinfo) -> str:
    local = timezone.localtime(at, tz)
    today = timezone.localdate(timezone=tz)  # type: ignore[arg-type]
    return when(local, "weekday_day_month" if local.year == today.year else "weekday_date")


def _span(meta: dict[str, Any]) -> tuple[str, str] | None:
    try:
        first = dt.date.fromisoformat(str(meta["from"]))
        last = dt.date.fromisoformat(str(meta["to"]))
    except (KeyError, ValueError):
        return None
    return when(first, "short_day_month"), when(last, "short_day_month")


def sentence(*, name: str, day: str, meta: dict[str, Any], share: Share | None) -> str:
    """One view in words: who, what (and for which period), which day."""
    scope = meta.get("scope", "")
    words = {"name": name, "day": day}
    span = _span(meta)
    if scope == Share.Scope.TRIGGER_MAP:
        days = meta.get("days")
        if isinstance(days, int):
            return ngettext(
                "%(name)s looked at your trigger map (the last %(days)d day) on %(day)s.",
                "%(name)s looked at your trigger map (the last %(days)d days) on %(day)s.",
                days,
            ) % {**words, "days": days}
        return _("%(name)s looked at your trigger map on %(day)s.") % words
    if scope == Share.Scope.WEEKLY_SUMMARY:
        if span is not None:
            return _(
                "%(name)s looked at your weekly summary for %(first)s to %(last)s on %(day)s."
            ) % {**words, "first": span[0], "last": span[1]}
        return _("%(name)s looked at your weekly summary on %(day)s.") % words
    if scope == Share.Scope.THEME and share is not None and share.theme is not None:
        theme = share.theme.name
        if meta.get("moment"):
            return _("%(name)s opened a moment of your theme “%(theme)s” on %(day)s.") % {
                **words,
                "theme": theme,
            }
        return _("%(name)s looked at your theme “%(theme)s” on %(day)s.") % {
            **words,
            "theme": theme,
        }
    if scope == Share.Scope.MOMENT:
        return _("%(name)s looked at a moment you shared on %(day)s.") % words
    if scope == Share.Scope.PRACTICE_PROGRESS:
        return _("%(name)s looked at your practice progress on %(day)s.") % words
    return _("%(name)s looked at something you shared on %(day)s.") % words


def looks_of(*, owner: User, connection: Connection | None = None, limit: int = 200) -> list[Look]:
    """The owner's shared things as others looked at them, newest first (of the last
    ``limit`` views), optionally only through one connection."""
    events = list(share_views_of(owner=owner, limit=limit))
    ids = {_uuid(e.target_id) for e in events} - {None}
    shares = {
        str(s.id): s
        for s in Share.objects.filter(owner=owner, id__in=ids).select_related(
            "theme__owner__data_key"
        )
    }
    live = set(shares_of(owner=owner).filter(id__in=ids).values_list("id", flat=True))
    labels = labels_of(viewer=owner)
    tz = owner.tz
    looks: dict[tuple[Any, ...], Look] = {}
    for event in events:
        share = shares.get(event.target_id)
        if connection is not None and (share is None or share.connection_id != connection.id):
            continue
        local_day = timezone.localtime(event.at, tz).date()
        period = tuple(sorted((k, str(v)) for k, v in event.meta.items()))
        key = (event.actor_id, event.target_id, local_day, period)
        if key in looks:
            looks[key].times += 1
            continue
        name = (labels.get(share.connection_id) if share else None) or (
            display_name(event.actor) if event.actor else _("Someone")
        )
        looks[key] = Look(
            sentence=sentence(name=name, day=_day(event.at, tz), meta=event.meta, share=share),
            times=1,
            at=event.at,
            still_shared=share is not None and share.id in live,
        )
    return list(looks.values())


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
