"""Notices sent before invitations kept a seat lose the secret from their links."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.tests.factories import connect
from tend.notifications.models import Notification, Reminder
from tend.practices.services import shared_breath_start
from tend.practices.tests.test_together_invite import every_stored_value

pytestmark = pytest.mark.django_db


def test_notices_sent_before_the_fix_lose_their_secret_and_keep_working(
    alice: User, bob: User, carol: User
) -> None:
    migration = importlib.import_module(
        "tend.practices.migrations.0003_invite_links_without_secret"
    )
    connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=15)
    now = timezone.now()
    old = f"/practices/together/{token}/"
    Reminder.objects.create(
        recipient=bob,
        code="together.invite",
        link=old,
        dedupe_key=f"together:{breath.id}:{bob.pk}",
        due_at=now,
        next_attempt_at=now,
    )
    notice = Notification.objects.create(recipient=bob, code="together.invite", link=old)
    gone = Notification.objects.create(
        recipient=carol, code="together.invite", link="/practices/together/no-such-token/"
    )
    other = Notification.objects.create(recipient=bob, code="checkin.due", link="/rituals/")

    migration.scrub_invite_links(django_apps, None)

    by_id = f"/practices/together/{breath.id}/"
    notice.refresh_from_db()
    gone.refresh_from_db()
    other.refresh_from_db()
    assert notice.link == by_id
    assert Reminder.objects.get().link == by_id
    assert gone.link == "/practices/"
    assert other.link == "/rituals/"
    assert token not in every_stored_value()
    breath.refresh_from_db()
    assert breath.invitee_id == bob.pk
    assert client_for(bob).get(by_id).status_code == 200
