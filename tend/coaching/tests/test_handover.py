"""Handing the map over: an invitation carrying the worksheet; the client brings in what they
choose, under their own key, through the journal's services; the rest stays with carol."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.db import connection as db
from django.test import TestCase

from tend.accounts.models import User
from tend.coaching.models import HandOver
from tend.coaching.tests.factories import call_booked, filled, handed_over, link_in_last_mail, send
from tend.conftest import client_for
from tend.connections.models import Invitation, Kind
from tend.connections.services import connection_end, invitation_accept
from tend.core.models import AuditEvent
from tend.journal.models import Moment, Theme, VocabularyEntry
from tend.journal.people_models import Person

CANARY = "CANARY-handover-8b2d"


@pytest.fixture
def sheet(carol: User, alice: User) -> object:
    booking = call_booked(carol, email=alice.email, cue=f"Sam's phone buzzed {CANARY}")
    return filled(carol, booking, words=CANARY)


def _bring(client_user: User, handover: HandOver, **data: object) -> object:
    return client_for(client_user).post(f"/coaching/maps/{handover.id}/", data)


def test_sending_invites_the_booker_as_client_in_an_email_that_names_nothing(
    carol: User, alice: User, sheet: object
) -> None:
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(carol).post(f"/coaching/calls/{sheet.booking_id}/worksheet/hand-over/")  # type: ignore[attr-defined]
    invitation = Invitation.objects.get()
    assert invitation.kind == Kind.PRACTITIONER and invitation.email == alice.email
    assert HandOver.objects.get().invitation == invitation
    (email,) = mail.outbox
    assert email.to == [alice.email]
    text = email.subject + email.body
    for word in (CANARY, "Carol", "Sam", "practitioner", "Phone at dinner"):
        assert word not in text


def test_sending_again_withdraws_the_first_link(carol: User, sheet: object) -> None:
    send(carol, sheet)  # type: ignore[arg-type]
    first = link_in_last_mail()
    send(carol, sheet)  # type: ignore[arg-type]
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1
    assert client_for(None).get(f"/connections/join/?t={first}").status_code == 404


def test_the_client_brings_two_themes_and_the_moment_into_their_own_journal(
    carol: User, alice: User, sheet: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    handover, connection = handed_over(carol, alice, sheet)  # type: ignore[arg-type]
    page = client_for(alice).get(f"/connections/{connection.id}/").content.decode()
    assert f"/coaching/maps/{handover.id}/" in page
    shown = client_for(alice).get(f"/coaching/maps/{handover.id}/")
    assert shown.status_code == 200 and f"Phone at dinner {CANARY}" in shown.content.decode()

    response = _bring(
        alice,
        handover,
        items=["theme:0", "theme:1", "moment", "story", "need:left_behind", "person:0"],
        file_under="theme:0",
    )
    assert response.status_code == 302
    themes = {t.name: t for t in Theme.objects.filter(owner=alice)}
    assert set(themes) == {f"Phone at dinner {CANARY}", "Date nights"}
    moment = Moment.objects.get(author=alice)
    assert moment.cue == f"Sam's phone buzzed {CANARY}"
    assert moment.story == f"They would rather be elsewhere {CANARY}"
    assert moment.part == "" and moment.helped == ""  # not chosen: stays with carol
    assert moment.states == ["flight", "freeze"] and moment.intensity == 7
    assert moment.body == [{"region": "chest", "sensations": [], "intensity": 7}]
    assert moment.needs == ["left_behind"]
    assert moment.theme == themes[f"Phone at dinner {CANARY}"]
    assert [p.label for p in moment.people.all()] == [f"Sam {CANARY}"]
    # Not chosen: the own need stays on carol's worksheet only.
    assert not VocabularyEntry.objects.filter(owner=alice).exists()
    # Audited by the journal as alice's own writes, and the bringing itself, with keys only.
    assert AuditEvent.objects.filter(actor=alice, action="journal.moment.log").count() == 1
    event = AuditEvent.objects.get(action="coaching.handover.bring")
    assert event.subject == alice and "moment" in event.meta["items"]
    # Alice's map counts the moment under its theme, like any moment she logged herself.
    trigger_map = client_for(alice).get("/insights/").content.decode()
    assert f"Phone at dinner {CANARY}" in trigger_map
    # Written under alice's key: nothing of it is in the clear in any table.
    _assert_nowhere_in_the_database(CANARY)
    assert CANARY not in caplog.text
    for email in mail.outbox:
        assert CANARY not in email.subject + email.body


def test_bringing_again_makes_nothing_twice_and_the_rest_can_follow(
    carol: User, alice: User, sheet: object
) -> None:
    handover, _connection = handed_over(carol, alice, sheet)  # type: ignore[arg-type]
    _bring(alice, handover, items=["moment", "theme:1"], file_under="theme:1")
    again = _bring(alice, handover, items=["moment", "theme:1"])
    assert again.status_code == 400
    assert "in your journal already" in again.content.decode()
    _bring(alice, handover, items=["own_need:0", "person:0"])
    assert Moment.objects.filter(author=alice).count() == 1
    assert Theme.objects.filter(owner=alice).count() == 1
    assert VocabularyEntry.objects.get(owner=alice).label == f"To be told first {CANARY}"
    assert Person.objects.filter(owner=alice).count() == 1


def test_a_theme_of_the_same_name_is_used_again(carol: User, alice: User, sheet: object) -> None:
    from tend.journal.themes import theme_archive, theme_create

    mine = theme_create(actor=alice, name="date NIGHTS")
    theme_archive(actor=alice, theme=mine, archived=True)
    handover, _connection = handed_over(carol, alice, sheet)  # type: ignore[arg-type]
    _bring(alice, handover, items=["moment"], file_under="theme:1")
    assert Moment.objects.get(author=alice).theme_id == mine.id
    mine.refresh_from_db()
    assert not mine.archived


def test_nobody_else_reads_the_map_and_ending_the_connection_closes_it(
    carol: User, alice: User, bob: User, mallory: User, sheet: object
) -> None:
    handover, connection = handed_over(carol, alice, sheet)  # type: ignore[arg-type]
    url = f"/coaching/maps/{handover.id}/"
    for someone in (bob, mallory, carol):
        response = client_for(someone).get(url)
        assert response.status_code == 404 and CANARY not in response.content.decode()
    assert client_for(alice).get(url).status_code == 200
    connection_end(actor=alice, connection=connection)
    assert client_for(alice).get(url).status_code == 404
    assert _bring(alice, handover, items=["moment"]).status_code == 404  # type: ignore[attr-defined]
    # carol keeps her own worksheet.
    own = client_for(carol).get(f"/coaching/calls/{sheet.booking_id}/worksheet/")  # type: ignore[attr-defined]
    assert CANARY in own.content.decode()


def test_someone_who_signed_up_with_another_address_accepts_too(
    carol: User, bob: User, sheet: object
) -> None:
    # The invitation went to alice's address; whoever holds the link and signs in accepts it.
    send(carol, sheet)  # type: ignore[arg-type]
    invitation_accept(actor=bob, secret=link_in_last_mail())
    assert client_for(bob).get(f"/coaching/maps/{HandOver.objects.get().id}/").status_code == 200


def test_the_api_lists_maps_and_brings_items(carol: User, alice: User, sheet: object) -> None:
    handover, _connection = handed_over(carol, alice, sheet)  # type: ignore[arg-type]
    client = client_for(alice)
    (listed,) = client.get("/api/v1/coaching/maps").json()
    assert listed["id"] == str(handover.id) and listed["practitioner"] == "Carol"
    keys = {item["key"]: item for item in listed["items"]}
    assert keys["theme:0"]["words"] == f"Phone at dinner {CANARY}"
    response = client.post(
        f"/api/v1/coaching/maps/{handover.id}/bring",
        {"items": ["moment", "theme:0"], "file_under": "theme:0"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["brought"] == ["moment", "theme:0"]
    assert Moment.objects.get(author=alice).theme is not None
    assert client_for(carol).get(f"/api/v1/coaching/maps/{handover.id}").status_code == 404


def _assert_nowhere_in_the_database(words: str) -> None:
    needle = words.encode()
    with db.cursor() as cursor:
        for table in db.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the schema)
            for row in cursor.fetchall():
                for value in row:
                    raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value)
                    data = raw if isinstance(raw, bytes) else raw.encode()
                    assert needle not in data, f"{words} in the clear in {table}"
