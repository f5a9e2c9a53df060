"""What a client grants their practitioner, read in place on the client's page and in the API.

Only live shares of this client with this practitioner, over this connection, through the one
access layer (``connections.selectors.shares_visible_to``): revoking a share, or ending the
connection, hides it from the very next request. Each section shown is one view, audited as
the shared page audits it (``share.viewed`` with the period read, never the content).

The sections are a table, ``SECTIONS``: a scope, and the template that shows it
(``coaching/_scope_<scope>.html``, included by ``coaching/_shared_scopes.html``, each listed
with its ``Section.title`` at the top of the page by ``coaching/_shared_intro.html``). What a scope
shows comes from ``connections.scopes.READERS``. A new scope (practice progress, say) adds its
reader there and its template here; a scope with either missing shows nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tend.connections import scopes
from tend.connections.models import Share
from tend.connections.selectors import share_visible_to, shares_visible_to
from tend.connections.share_services import share_viewed
from tend.connections.summary import summary_weeks

if TYPE_CHECKING:
    from tend.accounts.models import User
    from tend.connections.models import Connection

# Scope → the template of its section, in the order the page shows them.
SECTIONS: dict[str, str] = {
    Share.Scope.TRIGGER_MAP: "coaching/_scope_trigger_map.html",
    Share.Scope.WEEKLY_SUMMARY: "coaching/_scope_weekly_summary.html",
    Share.Scope.THEME: "coaching/_scope_theme.html",
    Share.Scope.MOMENT: "coaching/_scope_moment.html",
}
# Scopes of which one share is enough: a second map share shows the same map.
ONE_OF = {Share.Scope.TRIGGER_MAP, Share.Scope.WEEKLY_SUMMARY}
# Scopes shown as a link only (to the shared page, which audits opening it): not a view here.
LINKED = {Share.Scope.MOMENT}
# Moments of a shared theme shown in place; the rest behind a link to the shared page.
THEME_MOMENTS = 10


@dataclass
class Section:
    share: Share
    template: str
    # What it shows; None for a scope shown as a link only.
    view: scopes.SharedView | None

    @property
    def anchor(self) -> str:
        """The section's id on the page (a picker comes back to it)."""
        one = self.share.scope in ONE_OF
        return f"shared-{self.share.scope if one else self.share.id}".replace("_", "-")

    @property
    def title(self) -> str:
        """The section's heading, also its link at the top of the page."""
        scope = self.share.scope
        if scope == Share.Scope.TRIGGER_MAP:
            return _("Their trigger map")
        if scope == Share.Scope.WEEKLY_SUMMARY:
            return _("Their weekly summary")
        if scope == Share.Scope.THEME and self.share.theme is not None:
            return _("Their theme: %(theme)s") % {"theme": self.share.theme.name}
        if scope == Share.Scope.MOMENT:
            return _("A moment they shared")
        return str(self.share.get_scope_display())


def grants_of(*, viewer: User, connection: Connection) -> QuerySet[Share]:
    """The live shares the client grants the viewer over ``connection`` (none if it ended)."""
    return shares_visible_to(viewer=viewer).filter(connection=connection)


def grant_of(*, viewer: User, connection: Connection, id: Any, scope: str | None = None) -> Share:
    """One live share of this client with the viewer (of ``scope``, if given), or Http404."""
    share = share_visible_to(viewer=viewer, id=id)
    if share.connection_id != connection.id or (scope is not None and share.scope != scope):
        raise Http404
    return share


def sections_of(*, viewer: User, connection: Connection, picks: scopes.Picks) -> list[Section]:
    """The sections of the client's page: one per granted scope (one per theme or moment)."""
    grants = list(grants_of(viewer=viewer, connection=connection))
    order = list(SECTIONS)
    grants.sort(key=lambda s: order.index(s.scope) if s.scope in SECTIONS else len(order))
    sections: list[Section] = []
    seen: set[str] = set()
    for share in grants:
        if share.scope not in SECTIONS or (share.scope in ONE_OF and share.scope in seen):
            continue
        view = None
        if share.scope not in LINKED:
            view = scopes.shared_view(viewer=viewer, share=share, picks=picks)
            if view is None:
                continue
        seen.add(share.scope)
        sections.append(Section(share=share, template=SECTIONS[share.scope], view=view))
    return sections


def sections_viewed(*, viewer: User, sections: list[Section]) -> None:
    """One ``share.viewed`` event per section shown, with its period."""
    for section in sections:
        if section.view is not None:
            share_viewed(viewer=viewer, share=section.share, period=section.view.period)


def page_context(*, viewer: User, connection: Connection, query: Any) -> dict[str, Any]:
    """What the client's page shows of their grants, for the period picked in ``query``;
    records each section as viewed."""
    picks = scopes.Picks.from_query(query)
    sections = sections_of(viewer=viewer, connection=connection, picks=picks)
    sections_viewed(viewer=viewer, sections=sections)
    return {
        "sections": sections,
        "picks": picks,
        "map_periods": scopes.map_periods(),
        "summary_weeks": _weeks(sections),
        "theme_moments": THEME_MOMENTS,
    }


def _weeks(sections: list[Section]) -> list[tuple[int, dt.date, dt.date]]:
    owner = next(
        (s.share.owner for s in sections if s.share.scope == Share.Scope.WEEKLY_SUMMARY), None
    )
    return summary_weeks(owner.tz) if owner is not None else []
