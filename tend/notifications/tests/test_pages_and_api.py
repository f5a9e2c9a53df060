"""Preferences, push devices, the push worker and the VAPID key."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.notifications import push
from tend.notifications.models import Notification, Preferences, PushSubscription

ENDPOINT = "https://push.example.test/send/abc"


def test_the_vapid_key_is_generated_into_the_data_directory_readable_by_its_owner_only() -> None:
    push.vapid.cache_clear()
    key = push.public_key()
    path = Path(settings.DATA_DIR) / push.VAPID_FILE
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(key) == 87  # 65 bytes, base64url without padding
    push.vapid.cache_clear()
    assert push.public_key() == key  # read back, not regenerated


def test_quiet_hours_and_channels_are_saved_from_the_settings_page(alice: User) -> None:
    client = client_for(alice)
    assert client.get("/notifications/settings/").status_code == 200
    response = client.post(
        "/notifications/settings/",
        {"push": "on", "quiet_start": "22:00", "quiet_end": "07:30"},
    )
    assert response.status_code == 302
    prefs = Preferences.objects.get(user=alice)
    assert (prefs.email, prefs.push) == (False, True)
    assert prefs.quiet_start.hour == 22 and prefs.quiet_end.minute == 30


def test_only_one_quiet_time_is_refused_with_a_plain_explanation(alice: User) -> None:
    response = client_for(alice).post("/notifications/settings/", {"quiet_start": "22:00"})
    assert response.status_code == 200
    assert b"Give both times" in response.content
    assert not Preferences.objects.exists()


def test_a_browser_subscribes_through_the_api_and_the_device_can_be_removed(alice: User) -> None:
    client = client_for(alice)
    response = client.post(
        "/api/v1/notifications/push-subscriptions",
        data=json.dumps({"endpoint": ENDPOINT, "p256dh": "BNcR-abc", "auth": "tBHI_x"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    subscription = PushSubscription.objects.get(user=alice)
    page = client.get("/notifications/settings/")
    assert b"A device added" in page.content
    response = client.post(f"/notifications/devices/{subscription.id}/remove/")
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_someone_elses_device_cannot_be_removed(alice: User, bob: User) -> None:
    subscription = PushSubscription.objects.create(
        user=alice, endpoint=ENDPOINT, p256dh="k", auth="a"
    )
    remove = f"/notifications/devices/{subscription.id}/remove/"
    assert client_for(bob).post(remove).status_code == 404
    assert (
        client_for(bob)
        .delete(f"/api/v1/notifications/push-subscriptions/{subscription.id}")
        .status_code
        == 404
    )
    assert PushSubscription.objects.filter(id=subscription.id).exists()


def test_a_push_payload_is_a_calm_sentence_and_a_link_nothing_more() -> None:
    data = json.loads(push.payload("checkin.due", "/rituals/"))
    assert data == {"title": "Tend", "body": "You have a check-in today.", "url": "/rituals/"}


def test_opening_a_notice_marks_it_read_and_follows_its_link(alice: User, bob: User) -> None:
    notice = Notification.objects.create(recipient=alice, code="checkin.due", link="/rituals/")
    assert client_for(bob).post(f"/notifications/{notice.id}/open/").status_code == 404
    response = client_for(alice).post(f"/notifications/{notice.id}/open/")
    assert response["Location"] == "/rituals/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    listing = client_for(alice).get("/notifications/")
    assert b"You have a check-in today." in listing.content


def test_the_push_worker_is_served_as_javascript_to_anyone() -> None:
    from django.test import Client

    response = Client().get("/notifications/push-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"showNotification" in response.content


def test_quiet_hours_are_set_through_the_api_as_local_times_and_an_offset_is_refused(
    alice: User,
) -> None:
    client = client_for(alice)
    body = {"email": True, "push": False, "quiet_start": "22:00", "quiet_end": "07:00"}
    response = client.put(
        "/api/v1/notifications/preferences", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["quiet_start"] == "22:00:00"
    prefs = Preferences.objects.get(user=alice)
    assert prefs.quiet_start is not None and prefs.quiet_start.hour == 22
    body["quiet_start"] = "22:00:00Z"
    refused = client.put(
        "/api/v1/notifications/preferences", data=json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 422


def test_a_reminder_goes_to_each_push_device_signed_with_vapid_and_a_gone_device_is_forgotten(
    alice: User, monkeypatch: Any
) -> None:
    import pywebpush

    from tend.notifications.delivery import deliver_due
    from tend.notifications.services import reminder_schedule

    kept = PushSubscription.objects.create(user=alice, endpoint=ENDPOINT, p256dh="k", auth="a")
    gone = PushSubscription.objects.create(
        user=alice, endpoint=ENDPOINT + "/gone", p256dh="k", auth="a"
    )
    calls: list[dict[str, Any]] = []

    class Gone:
        status_code = 410

    def fake_webpush(**kwargs: Any) -> None:
        calls.append(kwargs)
        if kwargs["subscription_info"]["endpoint"].endswith("/gone"):
            raise pywebpush.WebPushException("gone", response=Gone())

    monkeypatch.setattr(pywebpush, "webpush", fake_webpush)
    now = timezone.now()
    reminder_schedule(recipient=alice, code="touchpoint.due", key="p", due_at=now, link="/rituals/")
    assert deliver_due(now=now) == {"sent": 1}
    assert {c["subscription_info"]["endpoint"] for c in calls} == {kept.endpoint, gone.endpoint}
    assert json.loads(calls[0]["data"])["body"] == "A touch point is coming up."
    assert calls[0]["vapid_claims"]["sub"].startswith(("mailto:", "http"))
    assert not PushSubscription.objects.filter(id=gone.id).exists()
    assert PushSubscription.objects.filter(id=kept.id).exists()


def test_a_push_that_times_out_is_noted_on_the_device_and_logged_without_the_message(
    alice: User, monkeypatch: Any, caplog: Any
) -> None:
    import pywebpush
    import requests

    device = PushSubscription.objects.create(user=alice, endpoint=ENDPOINT, p256dh="k", auth="a")

    def slow(**kwargs: Any) -> None:
        raise requests.Timeout("read timed out")

    monkeypatch.setattr(pywebpush, "webpush", slow)
    data = push.payload("checkin.due", "/rituals/private-words")
    with caplog.at_level("WARNING", logger="tend.notifications.push"):
        assert push.send_push(device, data) is False
    device.refresh_from_db()
    assert device.last_error_at is not None
    assert [r.getMessage() for r in caplog.records] == [
        f"Push to device {device.id} failed with Timeout"
    ]
