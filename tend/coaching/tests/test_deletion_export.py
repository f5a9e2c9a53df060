"""What export and account deletion do to what coaching holds."""

from __future__ import annotations

import json

from django.core import mail
from django.test import TestCase

from tend.accounts.models import User
from tend.accounts.services import account_delete, account_export
from tend.booking.models import Booking
from tend.coaching.models import HandOver, Worksheet
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for
from tend.journal.models import Moment

CANARY = "CANARY-export-2d4e"


def _handed(carol: User, alice: User) -> tuple[Worksheet, HandOver]:
    sheet = filled(carol, call_booked(carol, email=alice.email), words=CANARY)
    handover, _connection = handed_over(carol, alice, sheet)
    return sheet, handover


def test_the_practitioners_export_holds_worksheets_and_clients(carol: User, alice: User) -> None:
    sheet, _handover = _handed(carol, alice)
    section = account_export(user=carol)["coaching"]
    (exported,) = section["worksheets"]
    assert exported["id"] == str(sheet.id) and exported["story"].endswith(CANARY)
    assert [c["name"] for c in section["clients"]] == ["Alice"]


def test_the_clients_export_holds_what_they_brought_and_the_map_handed_to_them(
    carol: User, alice: User
) -> None:
    _sheet, handover = _handed(carol, alice)
    client_for(alice).post(f"/coaching/maps/{handover.id}/", {"items": ["moment"]})
    document = json.dumps(account_export(user=alice), default=str)
    assert "Sam's phone buzzed at dinner" in document  # the moment, now hers
    # The story was not brought in: it is only in the map handed to them, not in the journal.
    assert f"They would rather be elsewhere {CANARY}" not in json.dumps(
        account_export(user=alice)["moments"], default=str
    )
    section = account_export(user=alice)["coaching"]
    assert section["worksheets"] == section["clients"] == section["notes"] == []
    (handed,) = section["maps_handed_to_me"]
    items = {item["key"]: item for item in handed["items"]}
    assert handed["from"] == "Carol" and items["moment"]["brought"] is True
    assert items["theme:0"] == {
        "key": "theme:0",
        "kind": "theme",
        "words": f"Phone at dinner {CANARY}",
        "brought": False,
    }


def test_deleting_the_practitioner_removes_worksheets_and_the_map_handed_over(
    carol: User, alice: User
) -> None:
    _sheet, handover = _handed(carol, alice)
    client_for(alice).post(f"/coaching/maps/{handover.id}/", {"items": ["moment"]})
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_delete(user=carol)
    assert not Worksheet.objects.exists() and not HandOver.objects.exists()
    assert not Booking.objects.exists()
    # The future call is cancelled and the person who booked it is told, once, without intake.
    (email,) = mail.outbox
    assert email.to == [alice.email] and "cancelled" in email.subject
    assert CANARY not in email.body and "Sam's phone" not in email.body
    assert client_for(alice).get(f"/coaching/maps/{handover.id}/").status_code == 404
    # What alice brought in is hers and stays.
    assert Moment.objects.filter(author=alice).count() == 1


def test_deleting_the_client_removes_them_from_the_practitioners_views(
    carol: User, alice: User
) -> None:
    sheet, _handover = _handed(carol, alice)
    account_delete(user=alice)
    assert client_for(carol).get("/api/v1/coaching/clients").json() == []
    body = client_for(carol).get("/coaching/clients/").content.decode()
    assert "Alice" not in body
    # carol's own worksheet of the call stays hers.
    assert Worksheet.objects.get(id=sheet.id).story.endswith(CANARY)
