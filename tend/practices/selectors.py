"""Reads of practices: a person's own practices, their sessions, and shared breathing sessions.

Everything here is the viewer's own; anything else answers Http404, exactly as if it did not
exist. A shared breath is the one thing two people see: through its secret link, or by its id
for the one connection the host invited to it.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from tend.practices import catalogue
from tend.practices.models import CustomPractice, PracticeSession, SharedBreath

if TYPE_CHECKING:
    from tend.accounts.models import User


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def custom_practices_of(*, viewer: User) -> QuerySet[CustomPractice]:
    if not viewer.is_authenticated:
        return CustomPractice.objects.none()
    return CustomPractice.objects.filter(author=viewer).select_related("author__data_key")


def custom_practice_for(*, viewer: User, id: uuid.UUID | str) -> CustomPractice:
    found = custom_practices_of(viewer=viewer).filter(id=_uuid(id)).first()
    if found is None:
        raise Http404
    return found


def custom_practice_playable(*, viewer: User, id: uuid.UUID | str) -> CustomPractice:
    """One of the viewer's own practices, or a practitioner's own practice suggested to the
    viewer while that suggestion is live (coaching's selector checks it); Http404 otherwise."""
    own = custom_practices_of(viewer=viewer).filter(id=_uuid(id)).first()
    if own is not None:
        return own
    # Coaching builds on practices, not the other way round: asked lazily, at call time.
    from tend.coaching.suggestion_selectors import suggested_custom_practice

    suggested = suggested_custom_practice(viewer=viewer, id=id) if viewer.is_authenticated else None
    if suggested is None:
        raise Http404
    return suggested


def as_practice(custom: CustomPractice) -> catalogue.Practice:
    """A person's own practice in the catalogue's shape, so one player serves both."""
    steps = tuple(line for line in custom.steps.split("\n") if line.strip())
    pattern = tuple(custom.pattern) if len(custom.pattern) == 4 else None
    return catalogue.Practice(
        code=catalogue.CUSTOM,
        kind=custom.kind if custom.kind in catalogue.KIND_CODES else "breath",  # type: ignore[arg-type]
        title=custom.name,
        summary="",
        steps=steps,
        suits_states=tuple(custom.suits_states),
        duration_seconds=custom.duration_seconds,
        evidence="",
        pattern=pattern,  # type: ignore[arg-type]
        custom_id=custom.id,
    )


def practice_for(
    *, viewer: User, code: str, custom_id: uuid.UUID | str | None = None
) -> catalogue.Practice:
    """A catalogue practice by code, or a custom one the viewer may play (their own, or one
    suggested to them) by id; Http404 otherwise."""
    if code == catalogue.CUSTOM or (custom_id and not code):
        if not custom_id:
            raise Http404
        return as_practice(custom_practice_playable(viewer=viewer, id=custom_id))
    found = catalogue.get(code)
    if found is None:
        raise Http404
    return found


def sessions_of(*, viewer: User) -> QuerySet[PracticeSession]:
    """The viewer's practice sessions, newest first."""
    if not viewer.is_authenticated:
        return PracticeSession.objects.none()
    return (
        PracticeSession.objects.filter(author=viewer)
        .select_related("custom_practice__author__data_key")
        .order_by("-started_at", "-created_at", "-id")
    )


def session_for(*, viewer: User, id: uuid.UUID | str) -> PracticeSession:
    found = sessions_of(viewer=viewer).filter(id=_uuid(id)).first()
    if found is None:
        raise Http404
    return found


def session_title(session: PracticeSession) -> str:
    if session.custom_practice is not None:
        return session.custom_practice.name
    return catalogue.title(session.practice_code)


# ---- Breathing together ---------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class BreathEnded(Exception):
    """The shared breath behind a link has ended or expired."""


def _holds_invitation(viewer: User, breath: SharedBreath) -> bool:
    """Whether ``viewer`` is the invitee and still actively connected with the host.

    Asked on every request, so ending the connection (or a Safety Check) takes the invitation
    away with the very next one.
    """
    from tend.connections.selectors import are_connected

    return breath.invitee_id == viewer.pk and are_connected(viewer, breath.host)


def shared_breath_for(*, viewer: User, token: str) -> SharedBreath:
    """The shared breath behind a link, for its host, its guest, or the first to open it.

    Http404 for an unknown link, one whose guest seat is already someone else's, or one whose
    seat is kept for an invitee other than the viewer (or for the viewer, once no longer
    connected with the host); ``BreathEnded`` once it has ended or expired (that says nothing
    but "it is over").
    """
    if not viewer.is_authenticated or not token or len(token) > 100:
        raise Http404
    breath = (
        SharedBreath.objects.select_related("host").filter(token_hash=token_hash(token)).first()
    )
    if breath is None:
        raise Http404
    if not breath.is_live():
        raise BreathEnded
    if viewer.pk != breath.host_id:
        if breath.guest_id not in (None, viewer.pk):
            raise Http404
        if breath.invitee_id is not None and not _holds_invitation(viewer, breath):
            raise Http404
    return breath


def shared_breath_invited_for(*, viewer: User, id: uuid.UUID | str) -> SharedBreath:
    """A shared breath by its id, for its host and for the connection invited to it.

    The id is no secret, so it opens nothing by itself: anyone but the host and an invitee who
    is still actively connected with the host gets Http404, whether the session exists, ended
    or never did. Only for those two does an ended or expired one raise ``BreathEnded``.
    """
    if not viewer.is_authenticated:
        raise Http404
    breath = SharedBreath.objects.select_related("host").filter(id=_uuid(id)).first()
    if breath is None:
        raise Http404
    if viewer.pk != breath.host_id and not _holds_invitation(viewer, breath):
        raise Http404
    if not breath.is_live():
        raise BreathEnded
    return breath
