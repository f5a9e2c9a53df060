"""A canary in a summary after a call is read by carol, who wrote it, and alice, to whom it was
sent: never by anyone else, and never in logs, emails, push messages, notices or audit events."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.core import mail
from django.db import connection as db

from tend.accounts.models import User
from tend.coaching.models import ReceivedSummary
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for
from tend.connections.tests.factories import connect
from tend.notifications.delivery import deliver_due
from tend.notifications.models import Notification, PushSubscription

CANARY = "CANARY-summary-canary-0b7d"


def test_the_summary_reaches_only_its_writer_and_its_client(
    personas: dict[str, User | None],
    alice: User,
    bob: User,
    carol: User,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    pushed: list[Any] = []
    monkeypatch.setattr("tend.notifications.delivery.send_push", lambda s, d: pushed.append(d))
    booking = call_booked(carol, email=alice.email)
    _handover, connection = handed_over(carol, alice, filled(carol, booking))
    connect(alice, bob)
    for who in (alice, carol):
        PushSubscription.objects.create(
            user=who, endpoint=f"https://push.example.test/{who.pk}", p256dh="k", auth="a"
        )
    mail.outbox.clear()
    page = f"/coaching/calls/{booking.id}/summary/"
    typed = f"What we found {CANARY}\r\nand what helps"
    assert client_for(carol).post(page, {"text": typed, "action": "save"}).status_code == 302
    assert client_for(carol).post(page, {"text": typed, "action": "send"}).status_code == 302
    deliver_due()
    received = ReceivedSummary.objects.get()

    # Where each person goes: the pages and API answers that could ever show it.
    paths = [
        "/home/",
        "/journal/",
        "/notifications/",
        "/coaching/",
        "/coaching/clients/",
        f"/coaching/clients/{connection.id}/",
        f"/connections/{connection.id}/",
        page,
        "/coaching/summaries/",
        f"/coaching/summaries/{received.id}/",
        "/api/v1/notifications",
        "/api/v1/coaching/dashboard",
        "/api/v1/coaching/summaries",
        f"/api/v1/coaching/summaries/{received.id}",
        f"/api/v1/coaching/calls/{booking.id}/summary",
        f"/api/v1/coaching/clients/{connection.id}/summaries",
    ]
    seen: dict[str, list[str]] = {}
    for persona, user in personas.items():
        for path in paths:
            body = client_for(user).get(path).content.decode()
            if CANARY in body:
                seen.setdefault(persona, []).append(path)
    assert set(seen) == {"alice", "carol"}, seen
    assert set(seen["alice"]) == {
        f"/coaching/summaries/{received.id}/",
        "/api/v1/coaching/summaries",
        f"/api/v1/coaching/summaries/{received.id}",
    }
    assert set(seen["carol"]) == {
        page,
        f"/api/v1/coaching/calls/{booking.id}/summary",
        f"/api/v1/coaching/clients/{connection.id}/summaries",
    }

    # Nowhere else: emails, push messages, notices, audit events, logs.
    assert mail.outbox and all(
        CANARY not in m.subject + m.body + json.dumps([a[0] for a in m.alternatives])
        for m in mail.outbox
    )
    assert pushed and CANARY not in json.dumps(pushed, default=str)
    notices = list(Notification.objects.values_list("code", "link"))
    assert ("coaching.summary", f"/coaching/summaries/{received.id}/") in notices
    assert CANARY not in json.dumps(notices)
    with db.cursor() as cursor:
        cursor.execute("SELECT meta FROM core_auditevent")
        assert CANARY not in str(cursor.fetchall())
        cursor.execute("SELECT text FROM coaching_callsummary")
        assert CANARY.encode() not in bytes(cursor.fetchone()[0])
        cursor.execute("SELECT text FROM coaching_receivedsummary")
        assert CANARY.encode() not in bytes(cursor.fetchone()[0])
    assert CANARY not in caplog.text
