"""Summaries after a call in "download your data", and what deleting either account does."""

from __future__ import annotations

from django.test import TestCase

from tend.accounts.models import User
from tend.accounts.services import account_delete, account_export
from tend.coaching.models import CallSummary, ReceivedSummary
from tend.coaching.summaries import summary_save, summary_send
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for

CANARY = "CANARY-summary-export-5c3a"


def _sent(carol: User, alice: User) -> ReceivedSummary:
    booking = call_booked(carol, email=alice.email)
    handed_over(carol, alice, filled(carol, booking))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return summary_send(
            actor=carol, summary=summary_save(actor=carol, booking=booking, text=CANARY)
        )


def test_both_exports_hold_the_summary_each_as_their_own(carol: User, alice: User) -> None:
    received = _sent(carol, alice)
    (mine,) = account_export(user=alice)["coaching"]["summaries_from_my_calls"]
    assert mine["id"] == str(received.id) and mine["text"] == CANARY and mine["from"] == "Carol"
    assert account_export(user=alice)["coaching"]["summaries_written"] == []
    (written,) = account_export(user=carol)["coaching"]["summaries_written"]
    assert written["text"] == CANARY and written["sent_at"] is not None
    assert account_export(user=carol)["coaching"]["summaries_from_my_calls"] == []


def test_deleting_the_clients_account_deletes_their_copy_and_keeps_the_practitioners_record(
    carol: User, alice: User
) -> None:
    _sent(carol, alice)
    account_delete(user=alice)
    assert not ReceivedSummary.objects.exists()
    summary = CallSummary.objects.get()
    assert summary.text == CANARY and summary.connection_id is None


def test_deleting_the_practitioners_account_leaves_the_clients_copy_with_them(
    carol: User, alice: User
) -> None:
    received = _sent(carol, alice)
    account_delete(user=carol)
    assert not CallSummary.objects.exists()
    received.refresh_from_db()
    assert received.sender_id is None and received.source_id is None
    page = client_for(alice).get(f"/coaching/summaries/{received.id}/").content.decode()
    assert CANARY in page and "From Carol" in page
