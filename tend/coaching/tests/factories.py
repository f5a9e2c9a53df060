"""Helpers for coaching tests: carol offers calls, alice books one with a recent moment, carol
fills the worksheet and hands it over, alice accepts from the emailed link. All through the
services, as the pages do."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import TestCase

from tend.accounts.models import User
from tend.booking.models import Booking
from tend.booking.tests.factories import book, days_ahead, default_call, local, practitioner
from tend.coaching.models import HandOver, Worksheet
from tend.coaching.services import handover_send, worksheet_save, worksheet_start
from tend.connections.models import Connection
from tend.connections.services import invitation_accept


def intake(cue: str) -> dict[str, Any]:
    return {
        "relationship": "polyamorous",
        "what_brings": "Jealousy when my partner dates.",
        "cue": cue,
        "states": ["flight", "freeze"],
        "region": "chest",
        "intensity": "7",
    }


def call_booked(
    carol: User, *, email: str, cue: str = "Sam's phone buzzed at dinner", slug: str = "carol"
) -> Booking:
    """carol offers calls; someone books one with ``email`` and a recent moment ``cue``."""
    practitioner(carol, slug=slug)
    booking, _secret = book(
        default_call(carol), local(days_ahead(), 10), email=email, intake=intake(cue)
    )
    return booking


def filled(carol: User, booking: Booking, *, words: str = "", **fields: Any) -> Worksheet:
    """The worksheet of ``booking`` with two themes, a person, needs; ``words`` in every text."""
    sheet = worksheet_start(actor=carol, booking=booking)
    values: dict[str, Any] = {
        "cues": f"Phone face down {words}",
        "themes": f"Phone at dinner {words}\nDate nights",
        "body_notes": f"Tight chest {words}",
        "pattern_notes": f"Checks the phone {words}",
        "story": f"They would rather be elsewhere {words}",
        "part": f"The part that fears being left {words}",
        "needs": ["left_behind", "reassurance"],
        "own_needs": f"To be told first {words}",
        "people": f"Sam {words}",
        "helps": f"Hand on the chest {words}",
        **fields,
    }
    return worksheet_save(actor=carol, worksheet=sheet, **values)


def send(carol: User, sheet: Worksheet) -> HandOver:
    """Hand the worksheet over, sending the email as the commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return handover_send(actor=carol, worksheet=sheet)


def link_in_last_mail() -> str:
    match = re.search(r"/connections/join/\?t=(\S+)", mail.outbox[-1].body)
    assert match, "the invitation email carries the link"
    return match.group(1)


def handed_over(carol: User, client: User, sheet: Worksheet) -> tuple[HandOver, Connection]:
    """carol hands the worksheet over; ``client`` accepts from the emailed link."""
    handover = send(carol, sheet)
    connection = invitation_accept(actor=client, secret=link_in_last_mail())
    handover.refresh_from_db()
    return handover, connection
