"""The API of what a client grants: the live grants (no content), a map for a period, a summary
for a week, a theme; each read one audited view; not shared and unknown the same 404."""

from __future__ import annotations

import uuid

import pytest

from tend.accounts.models import User
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for
from tend.connections.models import Connection
from tend.connections.share_services import share_revoke
from tend.connections.tests.factories import connect, share
from tend.core.models import AuditEvent
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

CUE = "CANARY-cue-consent-api-73c2"


@pytest.fixture
def connection(carol: User, alice: User) -> Connection:
    sheet = filled(carol, call_booked(carol, email=alice.email))
    return handed_over(carol, alice, sheet)[1]


def _base(connection: Connection) -> str:
    return f"/api/v1/coaching/clients/{connection.id}/shared"


def _views() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="share.viewed").order_by("at"))


def test_the_grants_list_names_scopes_and_never_content(
    carol: User, alice: User, connection: Connection
) -> None:
    theme = Theme.objects.create(owner=alice, name="CANARY-theme-api-19f0")
    granted = share(alice, connection, "theme", theme_id=theme.id)
    gone = share(alice, connection, "trigger_map")
    share_revoke(actor=alice, share=gone)
    response = client_for(carol).get(_base(connection))
    assert response.status_code == 200
    (grant,) = response.json()
    assert grant["id"] == str(granted.id) and grant["scope"] == "theme"
    assert "CANARY" not in response.content.decode()
    assert _views() == []  # a list of grants is not a view of anything


def test_the_map_is_read_for_a_period_and_each_read_is_one_view(
    carol: User, alice: User, connection: Connection
) -> None:
    MomentFactory(author=alice, cue=CUE)
    granted = share(alice, connection, "trigger_map")
    api = client_for(carol)
    response = api.get(f"{_base(connection)}/{granted.id}/map?period=30")
    assert response.status_code == 200
    body = response.json()
    assert body["activations"] == 1 and CUE not in response.content.decode()
    (event,) = _views()
    assert event.meta["days"] == 30 and event.meta["from"] == body["from"]
    refused = api.get(f"{_base(connection)}/{granted.id}/map?period=365")
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert len(_views()) == 1  # a refused period read nothing
    # The summary's own address does not open a map share.
    assert api.get(f"{_base(connection)}/{granted.id}/summary").status_code == 404


def test_a_summary_is_read_for_a_week(carol: User, alice: User, connection: Connection) -> None:
    granted = share(alice, connection, "weekly_summary")
    api = client_for(carol)
    response = api.get(f"{_base(connection)}/{granted.id}/summary?week=2")
    assert response.status_code == 200 and response.json()["week"] == 2
    assert api.get(f"{_base(connection)}/{granted.id}/summary?week=12").status_code == 422
    assert [e.meta["week"] for e in _views()] == [2]


def test_a_theme_is_read_with_its_moments(carol: User, alice: User, connection: Connection) -> None:
    theme = Theme.objects.create(owner=alice, name="Date nights")
    MomentFactory(author=alice, theme=theme, cue="Sam left for a date")
    MomentFactory(author=alice, cue=CUE)
    granted = share(alice, connection, "theme", theme_id=theme.id)
    response = client_for(carol).get(f"{_base(connection)}/{granted.id}/theme")
    assert response.status_code == 200
    assert [m["cue"] for m in response.json()["moments"]] == ["Sam left for a date"]
    assert CUE not in response.content.decode()
    assert [e.meta["scope"] for e in _views()] == ["theme"]


def test_not_shared_revoked_and_unknown_are_the_same_404(
    carol: User, alice: User, bob: User, connection: Connection
) -> None:
    granted = share(alice, connection, "trigger_map")
    to_bob = share(alice, connect(alice, bob), "trigger_map")
    api = client_for(carol)
    unknown = api.get(f"{_base(connection)}/{uuid.uuid4()}/map")
    not_hers = api.get(f"{_base(connection)}/{to_bob.id}/map")
    share_revoke(actor=alice, share=granted)
    revoked = api.get(f"{_base(connection)}/{granted.id}/map")
    assert unknown.status_code == not_hers.status_code == revoked.status_code == 404
    assert unknown.content == not_hers.content == revoked.content
    # Bob, holding his own share, cannot read it through alice's client page either.
    assert client_for(bob).get(f"{_base(connection)}/{to_bob.id}/map").content == unknown.content
    assert _views() == []


def test_shared_with_me_takes_the_same_period_and_now_carries_the_map(
    carol: User, alice: User, connection: Connection
) -> None:
    granted = share(alice, connection, "trigger_map")
    api = client_for(carol)
    response = api.get(f"/api/v1/shared-with-me/{granted.id}?period=7")
    assert response.status_code == 200
    body = response.json()
    assert body["map"]["activations"] == 0 and body["summary"] is None
    assert _views()[-1].meta["days"] == 7
    assert api.get(f"/api/v1/shared-with-me/{granted.id}?period=8").status_code == 422
    assert api.get("/api/v1/openapi.json").json()["paths"][
        "/api/v1/coaching/clients/{connection_id}/shared/{share_id}/map"
    ]["get"]["parameters"]
