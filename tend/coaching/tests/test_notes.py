"""Private notes between calls: the practitioner's alone, encrypted, kept when the client goes."""

from __future__ import annotations

from django.db import connection as db

from tend.accounts.models import User
from tend.accounts.services import account_delete, account_export
from tend.coaching.models import SessionNote
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for
from tend.connections.models import Connection
from tend.connections.services import connection_end

NOTE = "CANARY-note-6a0c"


def _client(carol: User, alice: User) -> tuple[Connection, object]:
    booking = call_booked(carol, email=alice.email)
    _handover, connection = handed_over(carol, alice, filled(carol, booking))
    return connection, booking


def test_a_note_about_a_call_is_saved_encrypted_and_shown_only_to_carol(
    carol: User, alice: User
) -> None:
    connection, booking = _client(carol, alice)
    page = client_for(carol).post(
        f"/coaching/clients/{connection.id}/",
        {"text": f"Wants to try the pacer {NOTE}\r\nnext time", "call": str(booking.id)},  # type: ignore[attr-defined]
    )
    assert page.status_code == 302
    note = SessionNote.objects.get()
    assert note.booking_id == booking.id and note.text.endswith("\nnext time")  # type: ignore[attr-defined]
    with db.cursor() as cursor:
        cursor.execute("SELECT text FROM coaching_sessionnote")
        (raw,) = cursor.fetchone()
    assert NOTE.encode() not in bytes(raw)
    assert NOTE in client_for(carol).get(f"/coaching/clients/{connection.id}/").content.decode()
    for page_of_alice in ("/coaching/clients/", f"/connections/{connection.id}/", "/home/"):
        assert NOTE not in client_for(alice).get(page_of_alice).content.decode()


def test_an_empty_note_is_refused_with_words_and_nothing_saved(carol: User, alice: User) -> None:
    connection, _booking = _client(carol, alice)
    page = client_for(carol).post(f"/coaching/clients/{connection.id}/", {"text": "   "})
    assert page.status_code == 400 and "Write a few words first." in page.content.decode()
    assert not SessionNote.objects.exists()


def test_carol_keeps_her_notes_when_the_client_ends_the_connection_or_deletes_the_account(
    carol: User, alice: User
) -> None:
    connection, _booking = _client(carol, alice)
    client_for(carol).post(f"/coaching/clients/{connection.id}/", {"text": NOTE})
    connection_end(actor=alice, connection=connection)
    page = client_for(carol).get(f"/coaching/clients/{connection.id}/").content.decode()
    assert NOTE in page and "The connection has ended." in page
    account_delete(user=alice)
    (exported,) = account_export(user=carol)["coaching"]["notes"]
    assert exported["text"] == NOTE and exported["client_connection"] is None


def test_notes_through_the_api(carol: User, alice: User) -> None:
    connection, _booking = _client(carol, alice)
    api = client_for(carol)
    made = api.post(
        f"/api/v1/coaching/clients/{connection.id}/notes",
        {"text": "First"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    note_id = made.json()["id"]
    changed = api.put(
        f"/api/v1/coaching/notes/{note_id}", {"text": "Second"}, content_type="application/json"
    )
    assert changed.json()["text"] == "Second"
    assert [
        n["text"] for n in api.get(f"/api/v1/coaching/clients/{connection.id}/notes").json()
    ] == ["Second"]
    assert api.delete(f"/api/v1/coaching/notes/{note_id}").status_code == 204
    assert not SessionNote.objects.exists()
