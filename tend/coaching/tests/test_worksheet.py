"""The call's worksheet: prefilled from the intake, saved encrypted, the practitioner's alone."""

from __future__ import annotations

import json

import pytest
from django.db import connection as db

from tend.accounts.models import User
from tend.coaching.models import Worksheet
from tend.coaching.tests.factories import call_booked, filled
from tend.conftest import client_for
from tend.core.models import AuditEvent

CANARY = "CANARY-worksheet-5e1f"


@pytest.fixture
def booking(carol: User, alice: User) -> object:
    return call_booked(carol, email=alice.email, cue=f"Sam's phone buzzed {CANARY}")


def test_it_opens_prefilled_from_the_intakes_recent_moment_without_storing_anything(
    carol: User, booking: object
) -> None:
    response = client_for(carol).get(f"/coaching/calls/{booking.id}/worksheet/")  # type: ignore[attr-defined]
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Sam&#x27;s phone buzzed {CANARY}" in body
    # Flight and freeze were ticked at booking, the chest chosen, intensity 7.
    assert 'value="flight" id="moment_states-flight" checked' in body
    assert '<option value="chest" selected>' in body
    assert '<option value="7" selected>' in body
    assert not Worksheet.objects.exists()


def test_saving_keeps_every_field_and_stores_no_word_in_the_clear(
    carol: User, booking: object
) -> None:
    response = client_for(carol).post(
        f"/coaching/calls/{booking.id}/worksheet/",  # type: ignore[attr-defined]
        {
            "moment_cue": f"At dinner {CANARY}",
            "moment_states": ["flight"],
            "moment_region": "chest",
            "moment_intensity": "6",
            "cues": f"The buzz {CANARY}",
            # As a browser sends a textarea: CRLF line breaks.
            "themes": f"Phone at dinner {CANARY}\r\n\r\nDate nights\r\nphone at dinner {CANARY}",
            "states": ["fawn", "freeze"],
            "regions": ["chest", "throat"],
            "story": f"They'd rather be elsewhere {CANARY}",
            "part": "The little one",
            "needs": ["reassurance"],
            "people": "Sam",
            "helps": "Feet on the floor",
        },
    )
    assert response.status_code == 302
    sheet = Worksheet.objects.get()
    assert sheet.practitioner_id == carol.pk
    assert sheet.moment_intensity == 6 and sheet.states == ["fawn", "freeze"]
    # One per line, blanks and repeats (whatever their case) left out.
    assert sheet.lines("themes") == [f"Phone at dinner {CANARY}", "Date nights"]
    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM coaching_worksheet")
        rows = cursor.fetchall()
    raw = b"".join(
        bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in rows[0]
    )
    assert CANARY.encode() not in raw
    event = AuditEvent.objects.get(action="coaching.worksheet.save")
    assert "story" in event.meta["fields"] and CANARY not in json.dumps(event.meta)


def test_a_refused_field_keeps_what_was_typed_and_saves_nothing(
    carol: User, booking: object
) -> None:
    response = client_for(carol).post(
        f"/coaching/calls/{booking.id}/worksheet/",  # type: ignore[attr-defined]
        {"story": f"Kept {CANARY}", "themes": "x" * 61, "moment_intensity": "11"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f"Kept {CANARY}" in body
    assert "Keep each line under 60 characters" in body
    assert "Choose an intensity from 0 to 10." in body
    assert not Worksheet.objects.exists()


def test_the_api_answers_the_draft_then_saves_lists_as_lines(carol: User, booking: object) -> None:
    client = client_for(carol)
    url = f"/api/v1/coaching/calls/{booking.id}/worksheet"  # type: ignore[attr-defined]
    draft = client.get(url).json()
    assert draft["saved"] is False and draft["id"] is None
    assert draft["moment_states"] == ["flight", "freeze"] and draft["moment_region"] == "chest"
    saved = client.put(
        url,
        {"themes": ["Phone at dinner", "Date nights"], "people": ["Sam"], "story": "Left out"},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["themes"] == ["Phone at dinner", "Date nights"]
    assert saved.json()["moment_cue"].startswith("Sam's phone buzzed")
    refused = client.put(url, {"states": ["angry"]}, content_type="application/json")
    assert refused.status_code == 422
    assert Worksheet.objects.get().story == "Left out"


def test_the_call_page_leads_to_its_worksheet(carol: User, booking: object) -> None:
    body = client_for(carol).get(f"/booking/calls/{booking.id}/").content.decode()  # type: ignore[attr-defined]
    assert f"/coaching/calls/{booking.id}/worksheet/" in body  # type: ignore[attr-defined]


def test_filled_worksheet_reads_back_under_the_practitioners_key(
    carol: User, booking: object
) -> None:
    sheet = filled(carol, booking, words=CANARY)  # type: ignore[arg-type]
    again = Worksheet.objects.select_related("practitioner__data_key").get(id=sheet.id)
    assert again.story.endswith(CANARY) and again.lines("people") == [f"Sam {CANARY}"]
