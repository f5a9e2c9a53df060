"""Coaching: a call's trigger-mapping worksheet, handing it over, and the practitioner's clients.

Domain words: a **worksheet** is the practitioner's trigger-mapping notes of one call (a
``booking.Booking``), in the seed's structure; a **hand-over** is an invitation to connect as
practitioner and client that carries the worksheet, from which the client chooses, item by item,
what to bring into their own journal; a **client** is a person connected to the practitioner by a
``practitioner`` connection. Everything written on a worksheet is the practitioner's own words
and is encrypted under the **practitioner's** data key; what a client brings in is written anew
by the journal's own services under the client's key.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tend.core.fields import EncryptedTextField

# Limits of the worksheet's free text, shared by the form, the API and the service.
TEXT_LIMITS: dict[str, int] = {
    "cues": 2000,
    "themes": 1000,
    "body_notes": 1000,
    "pattern_notes": 1000,
    "story": 2000,
    "part": 1000,
    "own_needs": 1000,
    "people": 1000,
    "helps": 2000,
    "moment_cue": 2000,
}
# The worksheet's free-text fields, in the order the export lists them.
TEXT_FIELDS = (
    "moment_cue",
    "cues",
    "themes",
    "body_notes",
    "pattern_notes",
    "story",
    "part",
    "own_needs",
    "people",
    "helps",
)
# Fields written one item per line: each line is an item the client may bring in.
LINE_FIELDS = ("themes", "own_needs", "people")
LINES_MAX = 12


class Worksheet(models.Model):
    """The practitioner's trigger-mapping worksheet of one call.

    It starts from the booker's intake ("a recent moment": its cue, states, where in the body
    and how intense) and is filled during the call. Free text is one ``EncryptedTextField`` per
    field under the practitioner's key; codes from the journal's vocabularies (states, body
    regions, needs) stay as lists so that they can be handed over as they are.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worksheets"
    )
    booking = models.OneToOneField(
        "booking.Booking", on_delete=models.CASCADE, related_name="worksheet"
    )
    # Cues and themes: what sets the alarm off, and the recurring kinds of cue (one per line).
    cues = EncryptedTextField(owner="practitioner", blank=True)
    themes = EncryptedTextField(owner="practitioner", blank=True)
    # Where in the body (regions of the journal's body map) and how, in words.
    regions = models.JSONField(default=list, blank=True)
    body_notes = EncryptedTextField(owner="practitioner", blank=True)
    # State and protective pattern (fight, flight, freeze, fawn, shutdown), and in words.
    states = models.JSONField(default=list, blank=True)
    pattern_notes = EncryptedTextField(owner="practitioner", blank=True)
    story = EncryptedTextField(owner="practitioner", blank=True)
    part = EncryptedTextField(owner="practitioner", blank=True)
    # The need underneath: codes of the journal's vocabulary, and others in words (one per line).
    needs = models.JSONField(default=list, blank=True)
    own_needs = EncryptedTextField(owner="practitioner", blank=True)
    # People in the person's life as they named them (one per line): private labels, no accounts.
    people = EncryptedTextField(owner="practitioner", blank=True)
    helps = EncryptedTextField(owner="practitioner", blank=True)
    # The recent moment, first copied from the intake.
    moment_cue = EncryptedTextField(owner="practitioner", blank=True)
    moment_states = models.JSONField(default=list, blank=True)
    moment_region = models.CharField(max_length=32, blank=True)
    moment_intensity = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(moment_intensity__isnull=True)
                | Q(moment_intensity__gte=0, moment_intensity__lte=10),
                name="worksheet_moment_intensity_0_10",
            ),
        ]

    def __str__(self) -> str:
        # Never a field's words: a str() may end up in a log line.
        return f"worksheet {self.id}"

    def lines(self, field: str) -> list[str]:
        """The items of a one-per-line field, without blanks or repeats, in order."""
        seen: dict[str, str] = {}
        for line in str(getattr(self, field)).splitlines():
            item = line.strip()
            if item and item.casefold() not in seen:
                seen[item.casefold()] = item
        return list(seen.values())[:LINES_MAX]

    @property
    def has_moment(self) -> bool:
        return bool(self.moment_cue or self.moment_states)


class HandOver(models.Model):
    """A worksheet offered to the person of the call, through a practitioner invitation.

    The invitation is connections' own (single use, expiring, revocable, content-free email);
    this row only ties it to the worksheet. Once accepted, the person who accepted sees the
    worksheet while the connection is active, and ``brought`` lists (as item keys, never words)
    what they have brought into their own journal so far.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="handovers")
    invitation = models.OneToOneField(
        "connections.Invitation", on_delete=models.CASCADE, related_name="handover"
    )
    brought = models.JSONField(default=list, blank=True)
    brought_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"hand-over {self.id}"


class ClientSetting(models.Model):
    """The practitioner's own bookkeeping of one client: for now, whether archived."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.CASCADE, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "connection"], name="client_setting_once"
            )
        ]

    def __str__(self) -> str:
        return f"client setting {self.id}"


NOTE_MAX = 10000


class SessionNote(models.Model):
    """A private note of the practitioner about a client, between calls, optionally about one
    call. Encrypted under the practitioner's key; nobody else ever reads it. It stays the
    practitioner's when the connection ends, and when the client deletes their account (then
    about nobody: ``connection`` becomes null, and it is in the practitioner's export)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booking = models.ForeignKey(
        "booking.Booking", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(owner="practitioner", max_length=NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["practitioner", "connection"], name="session_note_client")]

    def __str__(self) -> str:
        return f"session note {self.id}"


SUMMARY_MAX = 5000


class CallSummary(models.Model):
    """The practitioner's summary of one call for the client: a draft until sent.

    The practitioner's own words, encrypted under the practitioner's key. Once sent it no
    longer changes (``sent_at``), and the practitioner keeps it as the record of what they
    sent; the client's copy is a ``ReceivedSummary`` of their own.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    booking = models.OneToOneField(
        "booking.Booking", on_delete=models.CASCADE, related_name="summary"
    )
    # The client it was sent to (null once they delete their account, or before sending).
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(owner="practitioner", max_length=SUMMARY_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"call summary {self.id}"


class ReceivedSummary(models.Model):
    """A summary of a call as the client keeps it in their journal: theirs alone.

    Written anew under the **client's** key when it is sent, so it stays with them when the
    connection ends or the practitioner's account goes; it goes with the client's account.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="received_summaries"
    )
    # Who sent it, as the client knew them then (kept after the practitioner's account goes).
    sender_name = EncryptedTextField(owner="owner", blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.OneToOneField(
        CallSummary, on_delete=models.SET_NULL, null=True, blank=True, related_name="received"
    )
    call_start = models.DateTimeField()
    text = EncryptedTextField(owner="owner", max_length=SUMMARY_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"received summary {self.id}"


class DashboardLook(models.Model):
    """When the practitioner last looked at their practice dashboard ("since your last look")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return "dashboard look"


SUGGESTION_NOTE_MAX = 1000


class Suggestion(models.Model):
    """A practice the practitioner suggests to a client ("homework" only in code): once, or on a
    weekly rhythm (an RRULE, as the rituals write them).

    The practice is a catalogue code, or ``custom`` with one of the practitioner's own
    ``practices.CustomPractice`` rows, which the client may then open and play while the
    suggestion is live (``suggestion_selectors.suggested_custom_practice``).

    The rhythm is evaluated in the **client's** time zone (read from their profile when a
    reminder is planned): the week is theirs, and a reminder must come at a sensible hour of
    their day, wherever the practitioner lives. ``starts_on`` is the first local day.

    The note is encrypted under the **practitioner's** key: they wrote it, so it is shredded
    with their account, and like a handed-over worksheet it is decrypted in the client's own
    request, through a selector that requires the live suggestion and the active connection.
    """

    class Declined(models.TextChoices):
        NO_REASON = "", _("No reason given")
        NOT_NOW = "not_now", _("Not right now")
        NOT_HELPFUL = "not_helpful", _("It does not help me")
        TOO_MUCH = "too_much", _("It is too much at the moment")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.CASCADE, related_name="+"
    )
    # A catalogue code, or "custom" with ``custom_practice`` (the practitioner's own) set.
    practice_code = models.CharField(max_length=40)
    custom_practice = models.ForeignKey(
        "practices.CustomPractice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # Empty: once. Otherwise one RRULE line (FREQ=WEEKLY;BYDAY=MO,TH).
    rrule = models.CharField(max_length=300, blank=True)
    starts_on = models.DateField()
    note = EncryptedTextField(owner="practitioner", blank=True, max_length=SUGGESTION_NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.CharField(
        max_length=16, blank=True, choices=Declined.choices, default=""
    )

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["client", "created_at"], name="suggestion_client"),
            models.Index(fields=["connection", "created_at"], name="suggestion_connection"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(practice_code="custom", custom_practice__isnull=False)
                | (~Q(practice_code="custom") & Q(custom_practice__isnull=True)),
                name="suggestion_custom_has_practice",
            ),
            models.CheckConstraint(
                condition=Q(declined_reason__in=["", "not_now", "not_helpful", "too_much"]),
                name="suggestion_declined_reason_known",
            ),
            models.CheckConstraint(
                condition=~Q(practitioner=models.F("client")), name="suggestion_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        # Never the note or a custom practice's name.
        return f"suggestion {self.id}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None and self.declined_at is None

    @property
    def ended_at(self) -> dt.datetime | None:
        return self.withdrawn_at or self.declined_at
