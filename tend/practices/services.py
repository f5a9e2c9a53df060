"""Writes of practices: one's own practices, practice sessions, the "I'm activated" outcome and
breathing together."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.core.audit import record
from tend.journal.models import Moment
from tend.journal.selectors import moment_for
from tend.journal.services import moment_log, moment_update
from tend.practices import catalogue
from tend.practices.models import CustomPractice, PracticeSession, SharedBreath
from tend.practices.selectors import custom_practice_playable, token_hash
from tend.practices.validation import clean_custom_practice, clean_pattern, clean_session

if TYPE_CHECKING:
    from tend.accounts.models import User

MAX_OWN_PRACTICES = 100
SHARED_BREATH_MINUTES = (5, 15, 30, 60)
SHARED_BREATH_PATTERN = [5, 0, 5, 0]


# ---- One's own practices --------------------------------------------------------------------


def custom_practice_create(*, author: User, **fields: Any) -> CustomPractice:
    cleaned = clean_custom_practice(fields)
    if CustomPractice.objects.filter(author=author).count() >= MAX_OWN_PRACTICES:
        raise ValidationError(
            {
                "name": [
                    _("You have %(n)s practices of your own; that is the most.")
                    % {"n": MAX_OWN_PRACTICES}
                ]
            }
        )
    with transaction.atomic():
        practice = CustomPractice.objects.create(author=author, **cleaned)
        record(
            actor=author,
            action="practices.custom.create",
            target=practice,
            meta={"kind": practice.kind},
        )
    return practice


def _check_author(actor: User, author_id: Any) -> None:
    # Selectors keep other people's rows out of reach already; this is the second lock.
    if actor.pk != author_id:
        raise PermissionDenied


def custom_practice_update(
    *, actor: User, practice: CustomPractice, **fields: Any
) -> CustomPractice:
    _check_author(actor, practice.author_id)
    cleaned = clean_custom_practice(fields, partial=True)
    merged_kind = cleaned.get("kind", practice.kind)
    merged_pattern = cleaned.get("pattern", practice.pattern)
    if merged_kind == "breath" and not merged_pattern:
        raise ValidationError(
            {"pattern": [_("A breath practice needs its seconds for each phase.")]}
        )
    changed = sorted(k for k, v in cleaned.items() if getattr(practice, k) != v)
    if not changed:
        return practice
    with transaction.atomic():
        for name in changed:
            setattr(practice, name, cleaned[name])
        practice.save(update_fields=[*changed, "updated_at"])
        record(
            actor=actor,
            action="practices.custom.update",
            target=practice,
            meta={"fields": changed},
        )
    return practice


def custom_practice_delete(*, actor: User, practice: CustomPractice) -> None:
    """Delete one's own practice; its sessions stay in the history, as "your own practice"."""
    _check_author(actor, practice.author_id)
    with transaction.atomic():
        record(actor=actor, action="practices.custom.delete", target=practice)
        practice.delete()


# ---- Practice sessions ----------------------------------------------------------------------


def _practice_reference(
    *, author: User, practice_code: str, custom_practice_id: uuid.UUID | str | None
) -> tuple[str, CustomPractice | None]:
    if practice_code == catalogue.CUSTOM or (custom_practice_id and not practice_code):
        if not custom_practice_id:
            raise ValidationError(
                {"custom_practice_id": [_("Say which of your own practices this was.")]}
            )
        try:
            custom = custom_practice_playable(viewer=author, id=custom_practice_id)
        except Exception as error:  # Http404: not theirs (nor suggested to them), or gone
            raise ValidationError(
                {"custom_practice_id": [_("Choose one of your own practices.")]}
            ) from error
        return catalogue.CUSTOM, custom
    if catalogue.get(practice_code) is None:
        raise ValidationError({"practice_code": [_("Choose a practice from the library.")]})
    return practice_code, None


def practice_session_record(
    *,
    author: User,
    practice_code: str,
    custom_practice_id: uuid.UUID | str | None = None,
    moment: Moment | None = None,
    idempotency_key: str | None = None,
    **fields: Any,
) -> PracticeSession:
    """Record one run of a practice (and, when given, the moment it belongs to)."""
    errors: dict[str, list[str]] = {}
    code, custom = "", None
    try:
        code, custom = _practice_reference(
            author=author, practice_code=practice_code, custom_practice_id=custom_practice_id
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned = clean_session(fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if moment is not None:
        _check_author(author, moment.author_id)
    with transaction.atomic():
        session = PracticeSession.objects.create(
            author=author,
            practice_code=code,
            custom_practice=custom,
            moment=moment,
            idempotency_key=idempotency_key,
            **cleaned,
        )
        record(
            actor=author,
            action="practices.session.record",
            target=session,
            meta={
                "practice": code,
                "before": session.intensity_before,
                "after": session.intensity_after,
                "moment": str(moment.id) if moment else None,
            },
        )
    return session


def activation_outcome_save(
    *,
    author: User,
    practice_code: str,
    custom_practice_id: uuid.UUID | str | None = None,
    intensity_before: Any = None,
    intensity_after: Any = None,
    state: str = "",
    duration_seconds: Any = 0,
    started_at: Any = None,
    moment_id: uuid.UUID | str | None = None,
    words: str = "",
    idempotency_key: str | None = None,
) -> tuple[Moment, PracticeSession, bool]:
    """Save what the "I'm activated" flow learnt: a moment with before/after, and the session.

    With ``moment_id`` the session is attached to that moment (one being logged), which gains the
    intensities it did not have yet; otherwise a new activation is logged through ``moment_log``.
    The same ``idempotency_key`` again finds what was saved the first time (a double tap, a
    retry) and returns created=False.
    """
    session_fields = {
        "intensity_before": intensity_before,
        "intensity_after": intensity_after,
        "state": state,
        "duration_seconds": duration_seconds,
        "started_at": started_at,
    }
    if idempotency_key and moment_id:
        # The key belongs to one rendering of the rating form: a second submit of it (a double
        # tap, a retry after a lost answer) is the same outcome, whatever time it carries. A run
        # attached to an existing moment keeps the key on the session, since the moment has its
        # own.
        attached = (
            PracticeSession.objects.filter(author=author, idempotency_key=idempotency_key)
            .select_related("moment")
            .first()
        )
        if attached is not None and attached.moment is not None:
            return attached.moment, attached, False
    elif idempotency_key:
        earlier = Moment.objects.filter(author=author, idempotency_key=idempotency_key).first()
        first = earlier.practice_sessions.order_by("created_at").first() if earlier else None
        if earlier is not None and first is not None:
            return earlier, first, False
    # Validate everything before anything is stored.
    cleaned = clean_session(session_fields)
    _practice_reference(
        author=author, practice_code=practice_code, custom_practice_id=custom_practice_id
    )
    with transaction.atomic():
        if moment_id:
            moment = moment_for(viewer=author, id=moment_id)
            existing = moment.practice_sessions.filter(
                practice_code=practice_code if practice_code else catalogue.CUSTOM,
                started_at=cleaned["started_at"],
            ).first()
            if existing is not None:
                return moment, existing, False
            missing = {
                name: cleaned[source]
                for name, source in (
                    ("intensity", "intensity_before"),
                    ("intensity_after", "intensity_after"),
                )
                if getattr(moment, name) is None and cleaned[source] is not None
            }
            if missing:
                moment_update(actor=author, moment=moment, **missing)
            created = True
        else:
            moment, created = moment_log(
                author=author,
                idempotency_key=idempotency_key,
                kind="activation",
                occurred_at=cleaned["started_at"],
                states=[cleaned["state"]] if cleaned["state"] else [],
                intensity=cleaned["intensity_before"],
                intensity_after=cleaned["intensity_after"],
                # A moment needs a state or a few words: when neither was given, say plainly
                # what happened rather than refuse to keep the before and after.
                cue=words.strip()
                or ("" if cleaned["state"] else _("I felt activated and did a practice.")),
            )
            if not created:
                first = moment.practice_sessions.order_by("created_at").first()
                if first is not None:
                    return moment, first, False
        session = practice_session_record(
            author=author,
            practice_code=practice_code,
            custom_practice_id=custom_practice_id,
            moment=moment,
            idempotency_key=idempotency_key if moment_id else None,
            **cleaned,
        )
    return moment, session, created


# ---- Breathing together ---------------------------------------------------------------------


def shared_breath_start(
    *, host: User, minutes: int = 15, pattern: list[int] | None = None
) -> tuple[SharedBreath, str]:
    """Start a shared pacer; returns it and the secret token for its link (shown once)."""
    if minutes not in SHARED_BREATH_MINUTES:
        raise ValidationError({"minutes": [_("Choose 5, 15, 30 or 60 minutes.")]})
    errors: dict[str, list[str]] = {}
    cleaned_pattern = clean_pattern(pattern or SHARED_BREATH_PATTERN, errors)
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        breath = SharedBreath.objects.create(
            host=host,
            token_hash=token_hash(token),
            pattern=cleaned_pattern,
            started_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
        record(
            actor=host,
            action="practices.together.start",
            target=breath,
            meta={"minutes": minutes},
        )
    return breath, token


class SeatTaken(Exception):
    """The guest seat is already someone else's (joined by the link, or kept for another)."""


@transaction.atomic
def shared_breath_invite(*, actor: User, breath: SharedBreath, connection_id: Any) -> User:
    """Keep the guest seat for one of the host's active connections and tell them, quietly.

    Only the host may invite, and only someone they are actively connected with; anything else
    is the same 404 as a connection that does not exist. The notice says only "Someone invites
    you to breathe together" and links to the session by its id: the secret token is never
    stored or sent, because a notice is copied into email, push services and lock screens. The
    id opens the session for the invitee alone, and only while they stay connected with the
    host (``shared_breath_invited_for``). Inviting the same person again is harmless; once the
    seat is taken or kept for someone else, ``SeatTaken``.
    """
    from tend.connections.selectors import connection_for, connection_other
    from tend.notifications.services import notify

    if breath.host_id != actor.pk:
        raise Http404
    connection = connection_for(viewer=actor, id=connection_id)
    invitee = connection_other(connection, actor)
    # Keep the seat with a conditional update, so that someone opening the link at the same
    # moment and this invitation cannot both have it.
    kept = SharedBreath.objects.filter(
        id=breath.id, guest__isnull=True, invitee__isnull=True
    ).update(invitee=invitee)
    breath.refresh_from_db(fields=["guest", "invitee"])
    if not kept and breath.invitee_id != invitee.pk:
        raise SeatTaken
    notify(
        recipient=invitee,
        code="together.invite",
        key=f"together:{breath.id}:{invitee.pk}",
        link=reverse("practices:together_invited", args=[breath.id]),
    )
    if kept:
        record(
            actor=actor,
            action="practices.together.invite",
            target=breath,
            meta={"connection": str(connection.id)},
        )
    return invitee


def shared_breath_join(*, viewer: User, breath: SharedBreath) -> SharedBreath:
    """The first person other than the host to open the link takes the one guest seat.

    A seat kept for an invitee is theirs alone; selectors have already turned anyone else away,
    and the update's condition holds even against a race with the invitation.
    """
    if viewer.pk == breath.host_id or breath.guest_id is not None:
        return breath
    # Claim the seat with a conditional update, so two people opening it at once cannot both.
    claimed = (
        SharedBreath.objects.filter(id=breath.id, guest__isnull=True)
        .filter(Q(invitee__isnull=True) | Q(invitee=viewer))
        .update(guest=viewer)
    )
    if claimed:
        breath.guest = viewer
        record(actor=viewer, action="practices.together.join", target=breath, subject=breath.host)
    else:
        breath.refresh_from_db()
        if breath.guest_id != viewer.pk:
            # Someone else took the seat (or it was kept for them) since the selector looked:
            # the same 404 the selector gives once that has happened.
            raise Http404
    return breath


def shared_breath_end(*, actor: User, breath: SharedBreath) -> SharedBreath:
    if actor.pk not in (breath.host_id, breath.guest_id):
        raise PermissionDenied
    if breath.ended_at is not None:
        return breath
    now = timezone.now()
    if SharedBreath.objects.filter(id=breath.id, ended_at__isnull=True).update(ended_at=now):
        breath.ended_at = now
        record(actor=actor, action="practices.together.end", target=breath, subject=breath.host)
    return breath
