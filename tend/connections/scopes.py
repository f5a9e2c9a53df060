"""What one live share shows, for the period asked: one definition for every reader.

The shared page (``/connections/shared/<id>/``), a practitioner's client page and both APIs
(``/shared-with-me/…``, ``/coaching/clients/…/shared/…``) check access first
(``selectors.share_visible_to``), then call ``shared_view`` and record the view with
``share_services.share_viewed(…, period=view.period)``: one audit event per view, with the
period read and never what it showed.

How far back a share reaches is ``summary.py``'s rule (at most the last 90 days). Each scope has
one reader in ``READERS``; a scope with none (a new one whose reader is not written yet) shows
nothing anywhere, rather than something unchecked. A new scope adds its reader here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tend.connections import selectors
from tend.connections.models import Share
from tend.connections.summary import MAP_DAYS, MAP_PERIODS, map_days, shared_map_of, summary_week

if TYPE_CHECKING:
    from tend.accounts.models import User
    from tend.journal.models import Moment


def map_periods() -> list[tuple[int, str]]:
    """The map periods a reader may pick, in words."""
    labels = {7: _("7 days"), 30: _("30 days"), 90: _("90 days")}
    return [(days, labels[days]) for days in MAP_PERIODS]


@dataclass(frozen=True)
class Picks:
    """The period a reader asked for: the map's days and the summary's week (0 = this week)."""

    days: int = MAP_DAYS
    week: int = 0

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Picks:
        """From a page's ``?period=30&week=1``; anything not offered falls back to the default."""
        return cls(
            days=map_days(query.get("period", "")) or MAP_DAYS,
            week=summary_week(query.get("week", "")) or 0,
        )


@dataclass
class SharedView:
    share: Share
    # For the audit event: numbers and ISO dates only.
    period: dict[str, Any] = field(default_factory=dict)
    map: Any = None
    summary: dict[str, Any] | None = None
    moments: list[Moment] | None = None


def _map(viewer: User, share: Share, picks: Picks) -> SharedView:
    found = shared_map_of(owner=share.owner, days=picks.days)
    period = {
        "days": picks.days,
        "from": found.first_day.isoformat(),
        "to": found.last_day.isoformat(),
    }
    return SharedView(share=share, period=period, map=found)


def _summary(viewer: User, share: Share, picks: Picks) -> SharedView:
    from tend.connections.summary import weekly_summary_of

    summary = weekly_summary_of(
        owner=share.owner, include_stories=share.include_stories, week=picks.week
    )
    period = {"week": picks.week, "from": summary["from"], "to": summary["to"]}
    return SharedView(share=share, period=period, summary=summary)


def _moments(viewer: User, share: Share, picks: Picks) -> SharedView:
    return SharedView(
        share=share, moments=list(selectors.shared_moments_visible_to(viewer=viewer, share=share))
    )


READERS: dict[str, Callable[[User, Share, Picks], SharedView]] = {
    Share.Scope.TRIGGER_MAP: _map,
    Share.Scope.WEEKLY_SUMMARY: _summary,
    Share.Scope.THEME: _moments,
    Share.Scope.MOMENT: _moments,
}


def shared_view(*, viewer: User, share: Share, picks: Picks | None = None) -> SharedView | None:
    """What ``share`` (already checked live for ``viewer``) shows for ``picks``; None for a
    scope with no reader."""
    reader = READERS.get(share.scope)
    if reader is None:
        return None
    return reader(viewer, share, picks or Picks())
