"""Reads of suggestions and of the practice progress a client shares.

* The client reads the suggestions made to them that are live (not withdrawn, not set aside)
  over an active connection: ``suggestions_for_client`` (home: one query, everything it draws
  joined in) and ``suggestion_for_client``; the practitioner's custom practice in one of them is
  playable by the client through ``suggested_custom_practice``.
* The practitioner reads their own suggestions to a client (``suggestions_of``,
  ``suggestion_of``).
* Progress (``progress_visible_to``) needs a live ``practice_progress`` share from the client
  to the viewer over that connection; anything else is the same 404 as an unknown client.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tend.coaching.models import Suggestion
from tend.connections.models import Connection, Kind, Share
from tend.connections.selectors import shares_visible_to
from tend.practices import catalogue
from tend.practices.models import CustomPractice
from tend.rituals.forms import WEEKDAYS

if TYPE_CHECKING:
    from tend.accounts.models import User

_RELATED = ("practitioner__data_key", "custom_practice__author__data_key", "connection")


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def practice_of(suggestion: Suggestion) -> catalogue.Practice:
    """The suggested practice in the catalogue's shape (a custom one in its author's words)."""
    if suggestion.custom_practice is not None:
        from tend.practices.selectors import as_practice

        return as_practice(suggestion.custom_practice)
    found = catalogue.get(suggestion.practice_code)
    if found is None:  # a code retired from the catalogue: say so plainly
        return catalogue.Practice(
            code=suggestion.practice_code,
            kind="breath",
            title=catalogue.title(suggestion.practice_code),
            summary="",
            steps=(),
            suits_states=(),
            duration_seconds=60,
            evidence="",
        )
    return found


def rhythm_words(suggestion: Suggestion) -> str:
    """ "Once, whenever it suits you" or "Each week: Mon, Thu" (never a count or a deadline)."""
    if not suggestion.rrule:
        return _("Once, whenever it suits you")
    labels = dict(WEEKDAYS)
    days = next(
        (
            part.split("=", 1)[1]
            for part in suggestion.rrule.split(";")
            if part.startswith("BYDAY=")
        ),
        "",
    )
    named = [str(labels[d]) for d in days.split(",") if d in labels]
    return _("Each week: %(days)s") % {"days": ", ".join(named)}


# --- The client's side ----------------------------------------------------------------------


def suggestions_for_client(
    *, viewer: User, connection: Connection | None = None
) -> QuerySet[Suggestion]:
    """Live suggestions to the viewer over active practitioner connections, newest first."""
    if not viewer.is_authenticated:
        return Suggestion.objects.none()
    found = Suggestion.objects.filter(
        client=viewer,
        connection__user_b=viewer,
        connection__kind=Kind.PRACTITIONER,
        connection__status=Connection.Status.ACTIVE,
        withdrawn_at=None,
        declined_at=None,
    )
    if connection is not None:
        found = found.filter(connection=connection)
    return found.select_related(*_RELATED).order_by("-created_at")


def suggestion_for_client(*, viewer: User, id: Any) -> Suggestion:
    found = suggestions_for_client(viewer=viewer).filter(id=_uuid(id)).first()
    if found is None:
        raise Http404
    return found


def suggested_custom_practice(*, viewer: User, id: Any) -> CustomPractice | None:
    """A practitioner's own practice the viewer may play: one in a live suggestion to them."""
    found = suggestions_for_client(viewer=viewer).filter(custom_practice_id=_uuid(id)).first()
    return found.custom_practice if found is not None else None


# --- The practitioner's side ----------------------------------------------------------------


def suggestions_of(*, viewer: User, connection: Connection) -> QuerySet[Suggestion]:
    """The viewer's suggestions to the client of ``connection``, live and earlier."""
    if not viewer.is_authenticated:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(practitioner=viewer, connection=connection)
        .select_related(*_RELATED)
        .order_by("-created_at")
    )


def suggestion_of(*, viewer: User, id: Any) -> Suggestion:
    if not viewer.is_authenticated:
        raise Http404
    found = Suggestion.objects.filter(practitioner=viewer, id=_uuid(id)).first()
    if found is None:
        raise Http404
    return found


def progress_share_for(*, viewer: User, connection: Connection) -> Share | None:
    """The client's live practice-progress share with the viewer over ``connection``."""
    if connection.user_a_id != viewer.pk or connection.status != Connection.Status.ACTIVE:
        return None
    return (
        shares_visible_to(viewer=viewer)
        .filter(
            scope=Share.Scope.PRACTICE_PROGRESS,
            connection=connection,
            owner_id=connection.user_b_id,
        )
        .first()
    )
