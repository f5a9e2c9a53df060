"""A share tells its recipient, content-free and within their own notification settings, and
whatever waits shows as a quiet dot on the Together tab until it is read."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.share_services import share_create, share_revoke
from tend.connections.tests.factories import connect
from tend.journal.tests.factories import MomentFactory
from tend.notifications.models import Notification, Preferences, Reminder

pytestmark = pytest.mark.django_db

WORDS = "CANARY-share-notice-words-5b2e"
DOT = 'class="nav-dot"'


def _share(alice: User, bob: User, capture: Any) -> Any:
    together = connect(alice, bob)
    moment = MomentFactory(author=alice, cue=WORDS, story=WORDS)
    with capture(execute=True):
        return share_create(
            actor=alice, connection=together, scope="moment", moment_id=moment.id, note=WORDS
        )


def test_a_share_sends_the_recipient_a_content_free_notice(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    made = _share(alice, bob, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(recipient=bob)
    assert notice.code == "share.new" and notice.link == f"/connections/shared/{made.id}/"
    [email] = mail.outbox
    assert email.to == [bob.email]
    assert email.subject == "Someone you are connected with shared something with you."
    for text in (email.subject, email.body, email.alternatives[0][0]):
        assert WORDS not in text and "Alice" not in text
    assert not Notification.objects.filter(recipient=alice).exists()


def test_a_share_in_quiet_hours_waits_silently(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    bob.time_zone = "UTC"
    bob.save()
    Preferences.objects.create(user=bob, quiet_start=dt.time(22), quiet_end=dt.time(7))
    with time_machine.travel(dt.datetime(2026, 3, 10, 23, 0, tzinfo=dt.UTC), tick=False):
        _share(alice, bob, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=bob).count() == 1  # in the app, silently
    assert Reminder.objects.get(recipient=bob).sent_at is None


def test_a_share_revoked_before_its_notice_went_out_sends_nothing(alice: User, bob: User) -> None:
    together = connect(alice, bob)
    made = share_create(actor=alice, connection=together, scope="trigger_map")
    share_revoke(actor=alice, share=made)
    assert Reminder.objects.get(recipient=bob).drop_reason == "cancelled"


def test_something_waiting_is_a_quiet_dot_on_together_until_it_is_opened(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(bob)
    assert DOT not in client.get("/home/").content.decode()
    made = _share(alice, bob, django_capture_on_commit_callbacks)
    page = client.get("/journal/").content.decode()
    together = re.search(r'<a href="/connections/"[^>]*>.*?</a>', page, re.S)
    assert together is not None
    assert DOT in together.group(0) and "(something waiting)" in together.group(0)
    assert "badge" not in together.group(0)
    assert "Something new is waiting for you" in client.get("/connections/").content.decode()
    # Opening the shared thing reads its notice; nothing else waits, so the dot goes.
    assert client.get(f"/connections/shared/{made.id}/").status_code == 200
    assert DOT not in client.get("/journal/").content.decode()
    # Alice, who shared, never had a dot for it.
    assert DOT not in client_for(alice).get("/journal/").content.decode()


def test_the_dot_is_drawn_in_a_calm_token_never_red() -> None:
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static" / "tend" / "tend.css").read_text()
    rule = re.search(r"\.nav-dot \{(.*?)\}", css, re.S)
    assert rule is not None
    assert "background: var(--primary)" in rule.group(1)
    assert "danger" not in rule.group(1) and "activation" not in rule.group(1)
