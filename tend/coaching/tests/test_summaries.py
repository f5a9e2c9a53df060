"""The summary after a call: carol's draft, sent once, then alice's own in her journal."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection as db
from django.test import TestCase

from tend.accounts.models import User
from tend.booking.models import Booking
from tend.booking.services import booking_cancel
from tend.booking.tests.factories import book, days_ahead, default_call, local
from tend.coaching.models import CallSummary, ReceivedSummary
from tend.coaching.summaries import (
    client_of_call,
    received_summaries_of,
    received_summary_delete,
    summary_save,
    summary_send,
)
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for
from tend.connections.models import Connection
from tend.connections.services import connection_end
from tend.notifications.delivery import deliver_due
from tend.notifications.models import Notification, PushSubscription

SUMMARY = "CANARY-summary-7e21"


def _client(carol: User, alice: User) -> tuple[Connection, Booking]:
    booking = call_booked(carol, email=alice.email)
    _handover, connection = handed_over(carol, alice, filled(carol, booking))
    return connection, booking


def _send(carol: User, booking: Booking, text: str = SUMMARY) -> ReceivedSummary:
    with TestCase.captureOnCommitCallbacks(execute=True):
        summary = summary_save(actor=carol, booking=booking, text=text)
        return summary_send(actor=carol, summary=summary)


def test_the_call_of_a_connected_client_finds_them(carol: User, alice: User, bob: User) -> None:
    connection, booking = _client(carol, alice)
    assert client_of_call(viewer=carol, booking=booking).connection == connection  # type: ignore[union-attr]
    # A second call booked with alice's address is hers too; someone else's call is nobody's.
    later, _secret = book(default_call(carol), local(days_ahead(4), 11), email=alice.email)
    other, _secret = book(default_call(carol), local(days_ahead(4), 13), email="zoe@example.test")
    assert client_of_call(viewer=carol, booking=later).connection == connection  # type: ignore[union-attr]
    assert client_of_call(viewer=carol, booking=other) is None
    assert client_of_call(viewer=bob, booking=booking) is None


def test_a_draft_is_carols_alone_and_encrypted(carol: User, alice: User) -> None:
    _connection, booking = _client(carol, alice)
    summary = summary_save(actor=carol, booking=booking, text=f"We mapped it {SUMMARY}\r\nWell")
    assert summary.text == f"We mapped it {SUMMARY}\nWell" and summary.sent_at is None
    with db.cursor() as cursor:
        cursor.execute("SELECT text FROM coaching_callsummary")
        (raw,) = cursor.fetchone()
    assert SUMMARY.encode() not in bytes(raw)
    # Saving again changes the same draft; alice has nothing and was told nothing.
    summary_save(actor=carol, booking=booking, text="Changed")
    assert CallSummary.objects.get().text == "Changed"
    assert not ReceivedSummary.objects.exists() and not Notification.objects.exists()
    assert client_for(alice).get("/coaching/summaries/").content.decode().count("From ") == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a few words first."),
        ("   \r\n ", "Write a few words first."),
        ("x" * 5001, "Please keep the summary under 5000 characters."),
        ("Bell\x07 here", "Remove the invisible control characters."),
    ],
)
def test_a_summary_that_cannot_be_stored_is_refused_saying_why(
    carol: User, alice: User, text: str, message: str
) -> None:
    _connection, booking = _client(carol, alice)
    with pytest.raises(ValidationError) as refused:
        summary_save(actor=carol, booking=booking, text=text)
    assert refused.value.messages == [message]


def test_the_page_keeps_what_was_typed_when_it_refuses(carol: User, alice: User) -> None:
    _connection, booking = _client(carol, alice)
    typed = "Kept words " + "y" * 5000
    page = client_for(carol).post(
        f"/coaching/calls/{booking.id}/summary/", {"text": typed, "action": "send"}
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "Please keep the summary under 5000 characters." in body and typed in body
    assert not CallSummary.objects.exists() and not ReceivedSummary.objects.exists()


def test_sending_makes_it_alices_own_under_her_key_and_tells_her_without_a_word_of_it(
    carol: User, alice: User
) -> None:
    _connection, booking = _client(carol, alice)
    PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.test/x", p256dh="k", auth="a"
    )
    sent: list[Any] = []
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tend.notifications.delivery.send_push", lambda sub, data: sent.append(data))
        received = _send(carol, booking)
        deliver_due()
    assert received.owner == alice and received.text == SUMMARY
    assert received.sender_name == "Carol" and received.call_start == booking.start
    with db.cursor() as cursor:
        cursor.execute("SELECT text FROM coaching_receivedsummary")
        (raw,) = cursor.fetchone()
    assert SUMMARY.encode() not in bytes(raw)
    (notice,) = Notification.objects.filter(recipient=alice)
    assert (
        notice.code == "coaching.summary" and notice.link == f"/coaching/summaries/{received.id}/"
    )
    (email,) = mail.outbox
    assert email.to == [alice.email] and "summary of your call" in email.subject
    assert SUMMARY not in email.body and "Carol" not in email.body + email.subject
    assert sent and SUMMARY not in str(sent)
    # Carol keeps her copy, now final.
    assert CallSummary.objects.get().sent_at is not None


def test_sending_twice_makes_one_copy_and_one_notice(carol: User, alice: User) -> None:
    _connection, booking = _client(carol, alice)
    first = _send(carol, booking)
    again = summary_send(actor=carol, summary=CallSummary.objects.get())
    assert again.id == first.id
    assert ReceivedSummary.objects.count() == 1
    assert Notification.objects.filter(recipient=alice).count() == 1
    # The page's send button, pressed twice, says it is sent and adds nothing either.
    page = client_for(carol).post(
        f"/coaching/calls/{booking.id}/summary/", {"text": "other words", "action": "send"}
    )
    assert page.status_code == 302
    assert ReceivedSummary.objects.get().text == SUMMARY
    # A sent summary no longer changes.
    with pytest.raises(ValidationError):
        summary_save(actor=carol, booking=booking, text="Rewritten")
    assert CallSummary.objects.get().text == SUMMARY


def test_a_summary_goes_only_to_a_connected_client(carol: User, alice: User) -> None:
    booking = call_booked(carol, email=alice.email)
    with pytest.raises(ValidationError) as refused:
        summary_save(actor=carol, booking=booking, text=SUMMARY)
    assert "not connected with you as your client" in refused.value.messages[0]
    page = client_for(carol).get(f"/coaching/calls/{booking.id}/summary/")
    assert page.status_code == 200 and b"not connected with you as your client" in page.content
    assert b'name="text"' not in page.content


def test_a_cancelled_call_gets_no_summary(carol: User, alice: User) -> None:
    _connection, booking = _client(carol, alice)
    booking_cancel(actor=carol, booking=booking, by="practitioner")
    booking.refresh_from_db()
    with pytest.raises(ValidationError):
        summary_save(actor=carol, booking=booking, text=SUMMARY)


def test_it_stays_with_alice_when_the_connection_ends_and_she_may_delete_it(
    carol: User, alice: User, bob: User
) -> None:
    connection, booking = _client(carol, alice)
    received = _send(carol, booking)
    connection_end(actor=alice, connection=connection)
    page = client_for(alice).get(f"/coaching/summaries/{received.id}/")
    assert page.status_code == 200 and SUMMARY in page.content.decode()
    received.refresh_from_db()
    assert received.read_at is not None
    assert client_for(bob).get(f"/coaching/summaries/{received.id}/").status_code == 404
    with pytest.raises(Exception):  # noqa: B017  (Http404: not bob's)
        received_summary_delete(actor=bob, summary=received)
    received_summary_delete(actor=alice, summary=received)
    assert not received_summaries_of(viewer=alice).exists()
    # Carol's record of what she sent is hers.
    assert CallSummary.objects.get().text == SUMMARY


def test_reading_it_reads_the_notice(carol: User, alice: User) -> None:
    _connection, booking = _client(carol, alice)
    received = _send(carol, booking)
    deliver_due()
    assert Notification.objects.get(recipient=alice).read_at is None
    client_for(alice).get(f"/coaching/summaries/{received.id}/")
    assert Notification.objects.get(recipient=alice).read_at is not None
