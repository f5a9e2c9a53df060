"""Notifications: content-free notices, reminders, push devices."""

from __future__ import annotations

from tend.core.tests.matrix.base import API_OWN, OTHERS, Row, owned, page, public

NOTIFICATIONS: list[Row] = [
    # --- Notifications (content-free notices, reminders, push devices) ------------------------
    Row("notifications/", "GET", "/notifications/", page()),
    Row("notifications/read/", "POST", "/notifications/read/", page(signed_in=302)),
    Row(
        "notifications/<uuid:id>/open/",
        "POST",
        "/notifications/{notice}/open/",
        owned(alice=302),
    ),
    Row("notifications/settings/", "GET", "/notifications/settings/", page()),
    Row(
        "notifications/devices/<uuid:id>/remove/",
        "POST",
        "/notifications/devices/{push_device}/remove/",
        owned(alice=302),
    ),
    Row("notifications/push-sw.js", "GET", "/notifications/push-sw.js", public()),
    Row("api/v1/notifications", "GET", "/api/v1/notifications", API_OWN),
    Row(
        "api/v1/notifications/read",
        "POST",
        "/api/v1/notifications/read",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 204)},
    ),
    Row("api/v1/notifications/preferences", "GET", "/api/v1/notifications/preferences", API_OWN),
    Row(
        "api/v1/notifications/preferences",
        "PUT",
        "/api/v1/notifications/preferences",
        API_OWN,
        data={"email": True, "push": False},
        json=True,
    ),
    Row("api/v1/notifications/push-key", "GET", "/api/v1/notifications/push-key", API_OWN),
    Row(
        "api/v1/notifications/push-subscriptions",
        "POST",
        "/api/v1/notifications/push-subscriptions",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"endpoint": "https://push.example.test/matrix", "p256dh": "k", "auth": "a"},
        json=True,
    ),
    Row(
        "api/v1/notifications/push-subscriptions/<subscription_id>",
        "DELETE",
        "/api/v1/notifications/push-subscriptions/{push_device_api}",
        owned(204, 401),
    ),
]
