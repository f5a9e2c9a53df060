"""The practitioner's clients: when connected, the next call, only what each shares; archive;
a client ending the connection takes it all away at once, and carol keeps her own worksheets."""

from __future__ import annotations

import pytest

from tend.accounts.models import User
from tend.booking.tests.factories import book, days_ahead, default_call, local
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.conftest import client_for
from tend.connections.services import connection_end
from tend.connections.share_services import share_revoke
from tend.connections.tests.factories import share
from tend.journal.tests.factories import MomentFactory

CANARY = "CANARY-clients-71aa"


@pytest.fixture
def connected(carol: User, alice: User) -> tuple[object, object]:
    booking = call_booked(carol, email=alice.email)
    sheet = filled(carol, booking, words=CANARY)
    _handover, connection = handed_over(carol, alice, sheet)
    return sheet, connection


def test_the_list_shows_each_client_with_the_next_call_and_only_live_shares(
    carol: User, alice: User, connected: tuple[object, object]
) -> None:
    _sheet, connection = connected
    # Booked again with the same address: that is alice's next call.
    later, _secret = book(default_call(carol), local(days_ahead(9), 11), email=alice.email)
    MomentFactory(author=alice, cue=CANARY)
    live = share(alice, connection, "trigger_map")  # type: ignore[arg-type]
    gone = share(alice, connection, "weekly_summary")  # type: ignore[arg-type]
    share_revoke(actor=alice, share=gone)
    body = client_for(carol).get("/coaching/clients/").content.decode()
    assert "Alice" in body
    assert f"/booking/calls/{later.id}/" not in body  # the first call comes first
    assert f"/connections/shared/{live.id}/" in body
    assert f"/connections/shared/{gone.id}/" not in body
    assert CANARY not in body  # shares are links, never their content
    (row,) = client_for(carol).get("/api/v1/coaching/clients").json()
    assert row["name"] == "Alice" and [s["scope"] for s in row["shares"]] == ["trigger_map"]
    assert row["next_call"] is not None


def test_archiving_moves_a_client_out_of_the_way_and_back(
    carol: User, connected: tuple[object, object]
) -> None:
    _sheet, connection = connected
    client = client_for(carol)
    client.post(f"/coaching/clients/{connection.id}/archive/", {"archived": "1"})  # type: ignore[attr-defined]
    (row,) = client.get("/api/v1/coaching/clients").json()
    assert row["archived"] is True
    answer = client.post(
        f"/api/v1/coaching/clients/{connection.id}/archive",  # type: ignore[attr-defined]
        {"archived": False},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["archived"] is False


def test_a_client_ending_the_connection_removes_access_and_carol_keeps_her_worksheet(
    carol: User, alice: User, connected: tuple[object, object]
) -> None:
    sheet, connection = connected
    trigger_map = share(alice, connection, "trigger_map")  # type: ignore[arg-type]
    assert client_for(carol).get(f"/connections/shared/{trigger_map.id}/").status_code == 200
    connection_end(actor=alice, connection=connection)  # type: ignore[arg-type]
    assert client_for(carol).get(f"/connections/shared/{trigger_map.id}/").status_code == 404
    assert client_for(carol).get("/api/v1/coaching/clients").json() == []
    body = client_for(carol).get("/coaching/clients/").content.decode()
    assert "Earlier clients" in body
    assert f"/coaching/calls/{sheet.booking_id}/worksheet/" in body  # type: ignore[attr-defined]
    archive = client_for(carol).post(f"/coaching/clients/{connection.id}/archive/")  # type: ignore[attr-defined]
    assert archive.status_code == 404


def test_an_empty_list_says_how_clients_come(carol: User) -> None:
    body = client_for(carol).get("/coaching/clients/").content.decode()
    assert "No clients yet." in body
