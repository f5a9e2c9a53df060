from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.models import Share
from tend.connections.tests.factories import connect, share
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=json.dumps(data or {}), content_type="application/json")


def test_the_api_invites_accepts_shares_and_revokes(alice: User, bob: User) -> None:
    a, b = client_for(alice), client_for(bob)
    created = _post(a, "/api/v1/invitations", {"kind": "partner"})
    assert created.status_code == 201, created.content
    token = created.json()["token"]
    assert a.get("/api/v1/invitations").json()["items"][0]["id"] == created.json()["id"]
    accepted = _post(b, "/api/v1/invitations/accept", {"token": token})
    assert accepted.status_code == 201
    connection_id = accepted.json()["id"]
    assert _post(b, "/api/v1/invitations/accept", {"token": token}).status_code == 404

    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    moment = MomentFactory(author=alice, theme=theme, cue="the words")
    made = _post(
        a,
        "/api/v1/shares",
        {"connection_id": connection_id, "scope": "theme", "theme_id": str(theme.id), "note": "n"},
    )
    assert made.status_code == 201, made.content
    share_id = made.json()["id"]
    [item] = b.get("/api/v1/shared-with-me").json()["items"]
    assert item["owner"]["name"] == "Alice" and item["theme_name"] == "phone at dinner"
    detail = b.get(f"/api/v1/shared-with-me/{share_id}").json()
    assert [m["cue"] for m in detail["moments"]] == ["the words"]
    one = b.get(f"/api/v1/shared-with-me/{share_id}/moments/{moment.id}")
    assert one.status_code == 200
    assert len(a.get("/api/v1/shares/views").json()) == 2

    assert a.delete(f"/api/v1/shares/{share_id}").status_code == 204
    assert b.get(f"/api/v1/shared-with-me/{share_id}").status_code == 404
    assert b.get(f"/api/v1/shared-with-me/{share_id}/moments/{moment.id}").status_code == 404


def test_one_cannot_share_someone_elses_theme(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    bobs = Theme.objects.create(owner=bob, name="bob's")
    response = _post(
        client_for(alice),
        "/api/v1/shares",
        {"connection_id": str(connection.id), "scope": "theme", "theme_id": str(bobs.id)},
    )
    assert response.status_code == 422
    assert not Share.objects.exists()


def test_ending_by_api_stops_shares_both_ways(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    s = share(bob, connection, "weekly_summary")
    assert client_for(alice).get(f"/api/v1/shared-with-me/{s.id}").status_code == 200
    response = _post(
        client_for(alice), f"/api/v1/connections/{connection.id}/end", {"quietly": True}
    )
    assert response.status_code == 204
    assert client_for(alice).get(f"/api/v1/shared-with-me/{s.id}").status_code == 404
    assert client_for(bob).get("/api/v1/connections").json()["items"] == []


def test_safety_check_by_api_counts(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    share(alice, connection, "trigger_map")
    response = _post(client_for(alice), "/api/v1/connections/safety-check", {"confirm": True})
    counts = response.json()["counts"]
    assert counts["shares_revoked"] == 1 and counts["connections_ended"] == 1
