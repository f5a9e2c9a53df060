"""Writes of coaching: worksheets, handing them over, what a client brings in, archiving.

Every write runs in a transaction and records an audit event with ids and codes only. What a
client brings into their journal goes through the journal's own services (themes, people, own
needs, ``moment_log``), so it is encrypted under the client's key, audited as their journal
writes, and counted by insights exactly like a moment they logged themselves.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.coaching.models import (
    LINE_FIELDS,
    LINES_MAX,
    NOTE_MAX,
    TEXT_LIMITS,
    ClientSetting,
    HandOver,
    SessionNote,
    Worksheet,
)
from tend.connections.models import Connection, Invitation, Kind
from tend.connections.services import invitation_create, invitation_revoke
from tend.core.audit import record
from tend.core.text import has_control_characters
from tend.journal import vocabulary
from tend.journal.people import person_add
from tend.journal.services import moment_log, vocabulary_entry_add
from tend.journal.themes import theme_archive, theme_create, themes_of

if TYPE_CHECKING:
    from tend.accounts.models import User
    from tend.booking.models import Booking

# An item of a worksheet is no longer than a theme name, a person's label or an own need.
ITEM_MAX = 60
CODE_FIELDS = {
    "regions": "regions",
    "states": "states",
    "needs": "needs",
    "moment_states": "states",
}
# What a client can bring in besides the numbered lines: the recent moment, and what of the
# worksheet goes along with it.
MOMENT_PARTS = ("story", "part", "helps")


# --- Worksheets -----------------------------------------------------------------------------


def _intake_moment(booking: Booking) -> dict[str, Any]:
    try:
        answers = json.loads(booking.intake or "{}")
    except ValueError:
        return {}
    moment = answers.get("moment") if isinstance(answers, dict) else None
    return moment if isinstance(moment, dict) else {}


def worksheet_draft(*, actor: User, booking: Booking) -> Worksheet:
    """An unsaved worksheet for the call, filled from the intake's recent moment."""
    if booking.practitioner_id != actor.pk:
        raise Http404
    moment = _intake_moment(booking)
    intensity = moment.get("intensity")
    region = moment.get("region")
    region = region if region in vocabulary.codes("regions") else ""
    states = [s for s in moment.get("states") or [] if s in vocabulary.codes("states")]
    return Worksheet(
        practitioner=actor,
        booking=booking,
        moment_cue=str(moment.get("cue") or "")[: TEXT_LIMITS["moment_cue"]],
        moment_states=states,
        moment_region=region,
        moment_intensity=intensity if isinstance(intensity, int) and 0 <= intensity <= 10 else None,
        # The recent moment is where the mapping starts: its states and place seed the map.
        states=[s for s in states if s != "connected"],
        regions=[region] if region else [],
    )


@transaction.atomic
def worksheet_start(*, actor: User, booking: Booking) -> Worksheet:
    """The call's worksheet, made from the intake's recent moment the first time."""
    existing = Worksheet.objects.filter(booking=booking, practitioner=actor).first()
    if existing is not None:
        return existing
    worksheet = worksheet_draft(actor=actor, booking=booking)
    worksheet.save()
    record(actor=actor, action="coaching.worksheet.start", target=worksheet)
    return worksheet


def clean_worksheet(data: dict[str, Any]) -> dict[str, Any]:
    """The worksheet's fields as stored; one ValidationError naming every field at fault.

    Errors say what to fix and never echo what was typed.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if name not in data:
            continue
        value = data[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = [_("Write this as plain text.")]
            continue
        # Browsers send a textarea's line breaks as CRLF: one line break, not a control character.
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(value) > limit:
            errors[name] = [_("Please keep this under %(n)d characters.") % {"n": limit}]
        elif has_control_characters(value):
            errors[name] = [_("Remove the invisible control characters.")]
        elif name in LINE_FIELDS:
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            if len(lines) > LINES_MAX:
                errors[name] = [
                    _("Write at most %(n)d items, one on each line.") % {"n": LINES_MAX}
                ]
            elif any(len(line) > ITEM_MAX for line in lines):
                errors[name] = [
                    _("Keep each line under %(n)d characters: each is one item.") % {"n": ITEM_MAX}
                ]
            value = "\n".join(lines)
        cleaned[name] = value
    for name, kind in CODE_FIELDS.items():
        if name not in data:
            continue
        value = data[name] or []
        if not isinstance(value, list | tuple) or not all(
            isinstance(code, str) and code in vocabulary.codes(kind) for code in value
        ):
            errors[name] = [_("Choose from the list.")]
            continue
        cleaned[name] = list(dict.fromkeys(value))
    if "moment_region" in data:
        region = data["moment_region"] or ""
        if region and region not in vocabulary.codes("regions"):
            errors["moment_region"] = [_("Choose a place in the body from the list.")]
        cleaned["moment_region"] = region
    if "moment_intensity" in data:
        level = data["moment_intensity"]
        if level in (None, ""):
            cleaned["moment_intensity"] = None
        else:
            try:
                number = int(str(level))
            except ValueError:
                number = -1
            if isinstance(level, bool) or not 0 <= number <= 10:
                errors["moment_intensity"] = [_("Choose an intensity from 0 to 10.")]
            else:
                cleaned["moment_intensity"] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def worksheet_save(*, actor: User, worksheet: Worksheet, **fields: Any) -> Worksheet:
    """Save what the practitioner wrote (only the fields given change)."""
    if worksheet.practitioner_id != actor.pk:
        raise Http404
    cleaned = clean_worksheet(fields)
    changed = sorted(name for name, value in cleaned.items() if getattr(worksheet, name) != value)
    for name, value in cleaned.items():
        setattr(worksheet, name, value)
    worksheet.updated_at = timezone.now()
    worksheet.save()
    record(
        actor=actor, action="coaching.worksheet.save", target=worksheet, meta={"fields": changed}
    )
    return worksheet


# --- Handing it over ------------------------------------------------------------------------


def open_handover(worksheet: Worksheet) -> HandOver | None:
    """The hand-over of this worksheet still waiting for an answer, if any."""
    return (
        HandOver.objects.filter(
            worksheet=worksheet,
            invitation__accepted_at__isnull=True,
            invitation__revoked_at__isnull=True,
            invitation__expires_at__gt=timezone.now(),
        )
        .select_related("invitation")
        .first()
    )


@transaction.atomic
def handover_send(*, actor: User, worksheet: Worksheet) -> HandOver:
    """Invite the person of the call to connect as client, carrying the worksheet.

    Connections' own invitation does the rest: a single-use, expiring link, sent to the address
    the person booked with in an email that names nobody and nothing. Sending again withdraws
    the earlier invitation, so only one link works at a time.
    """
    if worksheet.practitioner_id != actor.pk:
        raise Http404
    accepted = HandOver.objects.filter(
        worksheet=worksheet,
        invitation__accepted_at__isnull=False,
        invitation__connection__status=Connection.Status.ACTIVE,
    ).exists()
    if accepted:
        raise ValidationError(
            {"handover": _("They accepted already: you are connected, and they have the map.")},
            code="accepted",
        )
    previous = open_handover(worksheet)
    if previous is not None:
        invitation_revoke(actor=actor, invitation=previous.invitation)
    invitation, _secret = invitation_create(
        actor=actor, kind=Kind.PRACTITIONER, email=worksheet.booking.booker_email
    )
    handover = HandOver.objects.create(worksheet=worksheet, invitation=invitation)
    record(
        actor=actor,
        action="coaching.handover.send",
        target=handover,
        meta={"worksheet": worksheet.id, "invitation": invitation.id},
    )
    return handover


@transaction.atomic
def handover_withdraw(*, actor: User, worksheet: Worksheet) -> bool:
    if worksheet.practitioner_id != actor.pk:
        raise Http404
    handover = open_handover(worksheet)
    if handover is None:
        return False
    invitation_revoke(actor=actor, invitation=handover.invitation)
    record(actor=actor, action="coaching.handover.withdraw", target=handover)
    return True


def handover_items(worksheet: Worksheet) -> list[tuple[str, str, str]]:
    """Every item a client may bring in: (key, kind, words). Keys hold no words."""
    items: list[tuple[str, str, str]] = []
    if worksheet.has_moment:
        items.append(("moment", "moment", worksheet.moment_cue))
        for part in MOMENT_PARTS:
            if getattr(worksheet, part):
                items.append((part, part, getattr(worksheet, part)))
    items += [(f"theme:{i}", "theme", name) for i, name in enumerate(worksheet.lines("themes"))]
    items += [(f"need:{code}", "need", vocabulary.label("needs", code)) for code in worksheet.needs]
    items += [
        (f"own_need:{i}", "need", label) for i, label in enumerate(worksheet.lines("own_needs"))
    ]
    items += [(f"person:{i}", "person", label) for i, label in enumerate(worksheet.lines("people"))]
    return items


def _theme_named(*, actor: User, name: str) -> Any:
    for theme in themes_of(viewer=actor):
        if theme.name.casefold() == " ".join(name.split()).casefold():
            if theme.archived:
                theme_archive(actor=actor, theme=theme, archived=False)
            return theme
    return theme_create(actor=actor, name=name)


@transaction.atomic
def handover_bring(
    *, actor: User, handover: HandOver, items: list[str], file_under: str = ""
) -> list[str]:
    """Bring the chosen items of a handed-over worksheet into ``actor``'s own journal.

    ``actor`` must be the client who accepted it (the selector that found ``handover`` checked
    that, with the connection still active; this checks it again). Themes and people found by
    the same name are reused; the recent moment becomes the client's own moment, filed under
    ``file_under`` (a theme item's key) and naming the people brought along. Returns the keys
    brought now; keys brought before are skipped, so bringing twice makes nothing twice.
    """
    invitation: Invitation = handover.invitation
    connection = invitation.connection
    if (
        invitation.accepted_by_id != actor.pk
        or connection is None
        or connection.status != Connection.Status.ACTIVE
    ):
        raise Http404
    worksheet = handover.worksheet
    available = {key: words for key, _kind, words in handover_items(worksheet)}
    wanted = list(dict.fromkeys(k for k in items if k in available))
    if file_under and file_under not in available:
        raise ValidationError({"file_under": _("Choose one of the themes on the map.")})
    if file_under and file_under not in wanted:
        wanted.append(file_under)
    if not wanted:
        raise ValidationError({"items": _("Choose at least one thing to bring in.")})
    already = set(handover.brought)
    if "moment" in already or "moment" not in wanted:
        # The story, the part, what helps and the shared needs are written on the moment: without
        # it now, there is nowhere in the journal for them.
        wanted = [k for k in wanted if k not in MOMENT_PARTS and not k.startswith("need:")]
    new = [key for key in wanted if key not in already]
    if not new:
        raise ValidationError({"items": _("All of these are in your journal already.")})

    # With a new moment, what it names is found again (the same names find the same rows);
    # otherwise only what is new is written.
    todo = wanted if "moment" in new else new
    themes: dict[str, Any] = {}
    for key in todo:
        if key.startswith("theme:"):
            themes[key] = _theme_named(actor=actor, name=available[key])
    people = [
        person_add(owner=actor, label=available[k])[0] for k in todo if k.startswith("person:")
    ]
    needs = [k.split(":", 1)[1] for k in todo if k.startswith("need:")]
    for key in todo:
        if key.startswith("own_need:"):
            entry, _created = vocabulary_entry_add(owner=actor, kind="needs", label=available[key])
            needs.append(entry.code)
    if "moment" in new:
        body: list[dict[str, Any]] = []
        if worksheet.moment_region:
            body = [
                {
                    "region": worksheet.moment_region,
                    "sensations": [],
                    "intensity": worksheet.moment_intensity,
                }
            ]
        fields: dict[str, Any] = {
            "kind": "activation",
            # When the person wrote about it, booking the call: the moment itself came before.
            "occurred_at": worksheet.booking.created_at,
            "cue": worksheet.moment_cue,
            "states": worksheet.moment_states,
            "intensity": worksheet.moment_intensity,
            "body": body,
            "needs": needs,
            "people": [p.id for p in people],
            "theme": themes[file_under].id if file_under in themes else None,
        }
        for part, field in (("story", "story"), ("part", "part"), ("helps", "helped")):
            if part in wanted:
                fields[field] = getattr(worksheet, part)
        moment_log(author=actor, idempotency_key=f"handover-{handover.id}", **fields)
    handover.brought = sorted(already | set(new))
    handover.brought_at = timezone.now()
    handover.save(update_fields=["brought", "brought_at"])
    record(
        actor=actor,
        action="coaching.handover.bring",
        target=handover,
        meta={"items": new},
    )
    return new


# --- Clients --------------------------------------------------------------------------------


@transaction.atomic
def client_archive(*, actor: User, connection: Connection, archived: bool = True) -> ClientSetting:
    """Move a client to (or back from) the practitioner's archive; nothing else changes."""
    if connection.user_a_id != actor.pk or connection.kind != Kind.PRACTITIONER:
        raise Http404
    setting, _created = ClientSetting.objects.get_or_create(
        practitioner=actor, connection=connection
    )
    setting.archived_at = timezone.now() if archived else None
    setting.save(update_fields=["archived_at"])
    record(
        actor=actor,
        action="coaching.client.archive" if archived else "coaching.client.unarchive",
        target=connection,
    )
    return setting


# --- Session notes --------------------------------------------------------------------------


def _clean_note(text: Any) -> str:
    if not isinstance(text, str):
        raise ValidationError({"text": _("Write the note as plain text.")})
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write a few words first.")})
    if len(text) > NOTE_MAX:
        raise ValidationError(
            {"text": _("Please keep a note under %(n)d characters.") % {"n": NOTE_MAX}}
        )
    if has_control_characters(text):
        raise ValidationError({"text": _("Remove the invisible control characters.")})
    return text


@transaction.atomic
def session_note_add(
    *, actor: User, connection: Connection, text: str, booking: Booking | None = None
) -> SessionNote:
    """A private note about a client (the connection the practitioner made), maybe one call."""
    if connection.user_a_id != actor.pk or connection.kind != Kind.PRACTITIONER:
        raise Http404
    if booking is not None and booking.practitioner_id != actor.pk:
        raise Http404
    note = SessionNote(
        practitioner=actor, connection=connection, booking=booking, text=_clean_note(text)
    )
    note.save()
    record(actor=actor, action="coaching.note.add", target=note, meta={"client": connection.id})
    return note


@transaction.atomic
def session_note_edit(*, actor: User, note: SessionNote, text: str) -> SessionNote:
    if note.practitioner_id != actor.pk:
        raise Http404
    note.text = _clean_note(text)
    note.updated_at = timezone.now()
    note.save()
    record(actor=actor, action="coaching.note.edit", target=note)
    return note


@transaction.atomic
def session_note_delete(*, actor: User, note: SessionNote) -> None:
    if note.practitioner_id != actor.pk:
        raise Http404
    record(actor=actor, action="coaching.note.delete", target=note)
    note.delete()
