"""Who may open and change what in coaching: one table, every route, every persona.

The world: carol is a practitioner. Alice booked a call; carol filled its worksheet (every field
holds ``CANARY``), handed it over, and alice accepted, so they are connected as practitioner and
client. Alice shares her trigger map with carol (``granted``), a weekly summary (``summary``) and
a theme (``theme_share``); she once shared another weekly summary and another map but revoked
them (``revoked``, ``revoked_map``). Dana booked a second call whose worksheet waits unaccepted
(``spare``). Bob is alice's partner; alice shares her map with him (``to_bob``), which carol
must not reach through her page of alice; mallory is a stranger. Carol sent alice a summary of
the first call (``received``, alice's copy) and keeps a draft for alice's second call (``again``).

Each row runs inside a savepoint that is rolled back, so a row that changes things cannot change
what the next row sees. "Not shared", "not yours" and "does not exist" are the same 404: the
rows with ``{nothing}`` ask for an id nobody has. A coaching route missing from the table fails
``test_every_coaching_route_is_in_the_table``. Only carol (the worksheet's owner) and alice
(to whom it was handed) may ever read the canary; only carol her private note (``NOTE``).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from tend.accounts.models import User
from tend.booking.tests.factories import book, days_ahead, default_call, local
from tend.coaching.services import session_note_add
from tend.coaching.summaries import summary_save, summary_send
from tend.coaching.tests.factories import call_booked, filled, handed_over, send
from tend.coaching.tests.homework_routes import HOMEWORK_ROUTES
from tend.conftest import client_for
from tend.connections.share_services import share_revoke
from tend.connections.tests.factories import connect, share
from tend.core.tests.matrix.base import all_routes
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

CANARY = "CANARY-coaching-matrix-3c9e"
# Carol's private note about alice: carol's alone, never alice's.
NOTE = "CANARY-coaching-note-b41f"
PERSONAS = ("anonymous", "alice", "bob", "carol", "mallory")
READERS = ("carol", "alice")
LOGIN = "login"


def only(who: str, status: Any, *, anonymous: Any = LOGIN, others: Any = 404) -> dict[str, Any]:
    expected = dict.fromkeys(PERSONAS, others)
    expected.update(anonymous=anonymous, **{who: status})
    return expected


def every(status: Any, *, anonymous: Any = LOGIN) -> dict[str, Any]:
    return {**dict.fromkeys(PERSONAS, status), "anonymous": anonymous}


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: str
    expect: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False


API = "api/v1/coaching/"
TABLE: list[Row] = [
    # The practitioner's worksheet: carol's alone.
    Row(
        "coaching/calls/<uuid:id>/worksheet/",
        "GET",
        "/coaching/calls/{call}/worksheet/",
        only("carol", 200),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/",
        "POST",
        "/coaching/calls/{call}/worksheet/",
        only("carol", 302),
        data={"story": "Edited"},
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/",
        "GET",
        "/coaching/calls/{nothing}/worksheet/",
        every(404),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/hand-over/",
        "POST",
        "/coaching/calls/{spare}/worksheet/hand-over/",
        only("carol", 302),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/hand-over/",
        "POST",
        "/coaching/calls/{nothing}/worksheet/hand-over/",
        every(404),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/withdraw/",
        "POST",
        "/coaching/calls/{spare}/worksheet/withdraw/",
        only("carol", 302),
    ),
    # The handed-over map: alice's, as long as she is connected.
    Row("coaching/maps/<uuid:id>/", "GET", "/coaching/maps/{map}/", only("alice", 200)),
    Row(
        "coaching/maps/<uuid:id>/",
        "POST",
        "/coaching/maps/{map}/",
        only("alice", 302),
        data={"items": ["theme:1"]},
    ),
    Row("coaching/maps/<uuid:id>/", "GET", "/coaching/maps/{nothing}/", every(404)),
    Row("coaching/maps/<uuid:id>/", "GET", "/coaching/maps/{spare_map}/", every(404)),
    # Everyone has a client list of their own (carol's names alice, nothing of her words).
    Row("coaching/clients/", "GET", "/coaching/clients/", every(200)),
    Row(
        "coaching/clients/<uuid:id>/archive/",
        "POST",
        "/coaching/clients/{connection}/archive/",
        only("carol", 302),
    ),
    Row(
        "coaching/clients/<uuid:id>/archive/",
        "POST",
        "/coaching/clients/{nothing}/archive/",
        every(404),
    ),
    # One client, and carol's private notes about her.
    Row(
        "coaching/clients/<uuid:id>/", "GET", "/coaching/clients/{connection}/", only("carol", 200)
    ),
    Row("coaching/clients/<uuid:id>/", "GET", "/coaching/clients/{nothing}/", every(404)),
    Row(
        "coaching/clients/<uuid:id>/",
        "POST",
        "/coaching/clients/{connection}/",
        only("carol", 302),
        data={"text": "Ask about the weekend."},
    ),
    Row(
        "coaching/notes/<uuid:id>/",
        "POST",
        "/coaching/notes/{note}/",
        only("carol", 302),
        data={"text": "Changed."},
    ),
    Row("coaching/notes/<uuid:id>/", "POST", "/coaching/notes/{nothing}/", every(404)),
    Row(
        "coaching/notes/<uuid:id>/delete/",
        "POST",
        "/coaching/notes/{note}/delete/",
        only("carol", 302),
    ),
    Row(
        "coaching/notes/<uuid:id>/delete/", "POST", "/coaching/notes/{nothing}/delete/", every(404)
    ),
    # What alice grants carol, and what she took back, through connections' own pages.
    Row(
        "connections/shared/<uuid:id>/",
        "GET",
        "/connections/shared/{granted}/",
        only("carol", 200),
    ),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{revoked}/", every(404)),
    Row(
        "connections/shared/<uuid:id>/",
        "GET",
        "/connections/shared/{granted}/?period=7",
        only("carol", 200),
    ),
    Row(
        "connections/shared/<uuid:id>/",
        "GET",
        "/connections/shared/{summary}/?week=3",
        only("carol", 200),
    ),
    # Alice's grants in place on carol's page of her, for a period.
    Row(
        "coaching/clients/<uuid:id>/",
        "GET",
        "/coaching/clients/{connection}/?period=7&week=1",
        only("carol", 200),
    ),
    # The API.
    Row(
        API + "calls/<call_id>/worksheet",
        "GET",
        "/api/v1/coaching/calls/{call}/worksheet",
        only("carol", 200, anonymous=401),
    ),
    Row(
        API + "calls/<call_id>/worksheet",
        "GET",
        "/api/v1/coaching/calls/{nothing}/worksheet",
        every(404, anonymous=401),
    ),
    Row(
        API + "calls/<call_id>/worksheet",
        "GET",
        "/api/v1/coaching/calls/not-an-id/worksheet",
        every(404, anonymous=401),
    ),
    Row(
        API + "calls/<call_id>/worksheet",
        "PUT",
        "/api/v1/coaching/calls/{call}/worksheet",
        only("carol", 200, anonymous=401),
        data={"story": "Edited"},
        json=True,
    ),
    Row(
        API + "calls/<call_id>/worksheet/hand-over",
        "POST",
        "/api/v1/coaching/calls/{spare}/worksheet/hand-over",
        only("carol", 201, anonymous=401),
        json=True,
    ),
    Row(
        API + "calls/<call_id>/worksheet/withdraw",
        "POST",
        "/api/v1/coaching/calls/{spare}/worksheet/withdraw",
        only("carol", 204, anonymous=401),
        json=True,
    ),
    Row(API + "maps", "GET", "/api/v1/coaching/maps", every(200, anonymous=401)),
    Row(
        API + "maps/<map_id>",
        "GET",
        "/api/v1/coaching/maps/{map}",
        only("alice", 200, anonymous=401),
    ),
    Row(API + "maps/<map_id>", "GET", "/api/v1/coaching/maps/{nothing}", every(404, anonymous=401)),
    Row(
        API + "maps/<map_id>/bring",
        "POST",
        "/api/v1/coaching/maps/{map}/bring",
        only("alice", 200, anonymous=401),
        data={"items": ["theme:1"]},
        json=True,
    ),
    Row(API + "clients", "GET", "/api/v1/coaching/clients", every(200, anonymous=401)),
    Row(
        API + "clients/<connection_id>/archive",
        "POST",
        "/api/v1/coaching/clients/{connection}/archive",
        only("carol", 200, anonymous=401),
        data={"archived": True},
        json=True,
    ),
    Row(
        API + "clients/<connection_id>/notes",
        "GET",
        "/api/v1/coaching/clients/{connection}/notes",
        only("carol", 200, anonymous=401),
    ),
    Row(
        API + "clients/<connection_id>/notes",
        "POST",
        "/api/v1/coaching/clients/{connection}/notes",
        only("carol", 201, anonymous=401),
        data={"text": "Ask about the weekend."},
        json=True,
    ),
    Row(
        API + "notes/<note_id>",
        "PUT",
        "/api/v1/coaching/notes/{note}",
        only("carol", 200, anonymous=401),
        data={"text": "Changed."},
        json=True,
    ),
    Row(
        API + "notes/<note_id>",
        "DELETE",
        "/api/v1/coaching/notes/{note}",
        only("carol", 204, anonymous=401),
        json=True,
    ),
    Row(
        API + "notes/<note_id>",
        "DELETE",
        "/api/v1/coaching/notes/{nothing}",
        every(404, anonymous=401),
        json=True,
    ),
    Row(
        API + "clients/<connection_id>/archive",
        "POST",
        "/api/v1/coaching/clients/{nothing}/archive",
        every(404, anonymous=401),
        data={"archived": True},
        json=True,
    ),  # The practice dashboard: everyone's own counts (carol's name alice, never her words).
    Row("coaching/", "GET", "/coaching/", every(200)),
    Row(API + "dashboard", "GET", "/api/v1/coaching/dashboard", every(200, anonymous=401)),
    Row(
        API + "dashboard/seen",
        "POST",
        "/api/v1/coaching/dashboard/seen",
        every(204, anonymous=401),
        json=True,
    ),
    # The summary after a call: carol's to write; once sent, alice's own.
    Row(
        "coaching/calls/<uuid:id>/summary/",
        "GET",
        "/coaching/calls/{again}/summary/",
        only("carol", 200),
    ),
    Row(
        "coaching/calls/<uuid:id>/summary/",
        "GET",
        "/coaching/calls/{nothing}/summary/",
        every(404),
    ),
    Row(
        "coaching/calls/<uuid:id>/summary/",
        "POST",
        "/coaching/calls/{again}/summary/",
        only("carol", 302),
        data={"text": "A few words.", "action": "send"},
    ),
    Row(
        API + "calls/<call_id>/summary",
        "GET",
        "/api/v1/coaching/calls/{call}/summary",
        only("carol", 200, anonymous=401),
    ),
    Row(
        API + "calls/<call_id>/summary",
        "GET",
        "/api/v1/coaching/calls/{nothing}/summary",
        every(404, anonymous=401),
    ),
    Row(
        API + "calls/<call_id>/summary",
        "PUT",
        "/api/v1/coaching/calls/{again}/summary",
        only("carol", 200, anonymous=401),
        data={"text": "A few words."},
        json=True,
    ),
    Row(
        API + "calls/<call_id>/summary/send",
        "POST",
        "/api/v1/coaching/calls/{again}/summary/send",
        only("carol", 200, anonymous=401),
        json=True,
    ),
    Row(
        API + "calls/<call_id>/summary/send",
        "POST",
        "/api/v1/coaching/calls/{nothing}/summary/send",
        every(404, anonymous=401),
        json=True,
    ),
    Row(
        API + "clients/<connection_id>/summaries",
        "GET",
        "/api/v1/coaching/clients/{connection}/summaries",
        only("carol", 200, anonymous=401),
    ),
    Row("coaching/summaries/", "GET", "/coaching/summaries/", every(200)),
    Row(
        "coaching/summaries/<uuid:id>/",
        "GET",
        "/coaching/summaries/{received}/",
        only("alice", 200),
    ),
    Row("coaching/summaries/<uuid:id>/", "GET", "/coaching/summaries/{nothing}/", every(404)),
    Row(
        "coaching/summaries/<uuid:id>/delete/",
        "POST",
        "/coaching/summaries/{received}/delete/",
        only("alice", 302),
    ),
    Row(
        "coaching/summaries/<uuid:id>/delete/",
        "POST",
        "/coaching/summaries/{nothing}/delete/",
        every(404),
    ),
    Row(API + "summaries", "GET", "/api/v1/coaching/summaries", every(200, anonymous=401)),
    Row(
        API + "summaries/<summary_id>",
        "GET",
        "/api/v1/coaching/summaries/{received}",
        only("alice", 200, anonymous=401),
    ),
    Row(
        API + "summaries/<summary_id>",
        "GET",
        "/api/v1/coaching/summaries/{nothing}",
        every(404, anonymous=401),
    ),
    Row(
        API + "summaries/<summary_id>",
        "DELETE",
        "/api/v1/coaching/summaries/{received}",
        only("alice", 204, anonymous=401),
        json=True,
    ),
    # What alice grants carol, through the API: only carol, only while granted; a share of
    # alice's with bob, a revoked one, a share asked for at another scope's address and an id
    # nobody has are the same 404.
    Row(
        API + "clients/<connection_id>/shared",
        "GET",
        "/api/v1/coaching/clients/{connection}/shared",
        only("carol", 200, anonymous=401),
    ),
    Row(
        API + "clients/<connection_id>/shared",
        "GET",
        "/api/v1/coaching/clients/{nothing}/shared",
        every(404, anonymous=401),
    ),
    Row(
        API + "clients/<connection_id>/shared/<share_id>/map",
        "GET",
        "/api/v1/coaching/clients/{connection}/shared/{granted}/map?period=30",
        only("carol", 200, anonymous=401),
    ),
    *[
        Row(
            API + "clients/<connection_id>/shared/<share_id>/map",
            "GET",
            f"/api/v1/coaching/clients/{{connection}}/shared/{{{gone}}}/map",
            every(404, anonymous=401),
        )
        for gone in ("revoked_map", "to_bob", "summary", "nothing")
    ],
    Row(
        API + "clients/<connection_id>/shared/<share_id>/summary",
        "GET",
        "/api/v1/coaching/clients/{connection}/shared/{summary}/summary?week=1",
        only("carol", 200, anonymous=401),
    ),
    Row(
        API + "clients/<connection_id>/shared/<share_id>/summary",
        "GET",
        "/api/v1/coaching/clients/{connection}/shared/{revoked}/summary",
        every(404, anonymous=401),
    ),
    Row(
        API + "clients/<connection_id>/shared/<share_id>/theme",
        "GET",
        "/api/v1/coaching/clients/{connection}/shared/{theme_share}/theme",
        only("carol", 200, anonymous=401),
    ),
    Row(
        API + "clients/<connection_id>/shared/<share_id>/theme",
        "GET",
        "/api/v1/coaching/clients/{connection}/shared/{nothing}/theme",
        every(404, anonymous=401),
    ),
]


@pytest.fixture
def world(alice: User, bob: User, carol: User, mallory: User) -> dict[str, str]:
    booking = call_booked(carol, email=alice.email, cue=f"The buzz {CANARY}")
    sheet = filled(carol, booking, words=CANARY)
    handover, connection = handed_over(carol, alice, sheet)
    spare_booking, _secret = book(
        default_call(carol), local(days_ahead(6), 10), email="dana@example.test"
    )
    spare_sheet = filled(carol, spare_booking, words=CANARY)
    spare_map = send(carol, spare_sheet)
    MomentFactory(author=alice, cue="her own words")
    granted = share(alice, connection, "trigger_map")
    revoked = share(alice, connection, "weekly_summary")
    share_revoke(actor=alice, share=revoked)
    revoked_map = share(alice, connection, "trigger_map")
    share_revoke(actor=alice, share=revoked_map)
    summary = share(alice, connection, "weekly_summary")
    theme = Theme.objects.create(owner=alice, name="Date nights")
    MomentFactory(author=alice, theme=theme, cue="her words in a theme she shares")
    theme_share = share(alice, connection, "theme", theme_id=theme.id)
    to_bob = share(alice, connect(alice, bob), "trigger_map")
    note = session_note_add(actor=carol, connection=connection, text=NOTE, booking=booking)
    received = summary_send(
        actor=carol, summary=summary_save(actor=carol, booking=booking, text=CANARY)
    )
    again, _again_secret = book(default_call(carol), local(days_ahead(5), 14), email=alice.email)
    summary_save(actor=carol, booking=again, text=CANARY)
    return {
        "received": str(received.id),
        "again": str(again.id),
        "note": str(note.id),
        "call": str(booking.id),
        "spare": str(spare_booking.id),
        "map": str(handover.id),
        "spare_map": str(spare_map.id),
        "connection": str(connection.id),
        "granted": str(granted.id),
        "revoked": str(revoked.id),
        "revoked_map": str(revoked_map.id),
        "summary": str(summary.id),
        "theme_share": str(theme_share.id),
        "to_bob": str(to_bob.id),
        "nothing": str(uuid.uuid4()),
    }


def _matches(response: Any, expected: Any) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return bool(response.status_code == expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_table_says(
    persona: str, personas: dict[str, User | None], world: dict[str, str]
) -> None:
    mismatches = []
    for row in TABLE:
        path = row.path.format(**world)
        with transaction.atomic():
            client = client_for(personas[persona])
            if row.json:
                response = client.generic(
                    row.method, path, json.dumps(row.data), content_type="application/json"
                )
            elif row.method == "POST":
                response = client.post(path, row.data)
            else:
                response = client.get(path)
            transaction.set_rollback(True)
        if not _matches(response, row.expect[persona]):
            mismatches.append(
                f"{row.method} {path}: expected {row.expect[persona]}, got {response.status_code}"
            )
        if persona not in READERS:
            assert CANARY.encode() not in response.content, f"{persona} read it at {path}"
        if persona != "carol":
            assert NOTE.encode() not in response.content, f"{persona} read the note at {path}"
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


def test_every_coaching_route_is_in_the_table() -> None:
    coaching = {r for r in all_routes() if r.startswith(("coaching/", API))}
    missing = coaching - {row.route for row in TABLE} - HOMEWORK_ROUTES
    assert not missing, f"coaching routes with no row: {sorted(missing)}"
    stale = {row.route for row in TABLE} - all_routes()
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_not_shared_and_does_not_exist_answer_alike(
    personas: dict[str, User | None], world: dict[str, str]
) -> None:
    # The same page and the same problem document, whether the map exists or not.
    for who, path in (
        ("bob", "/coaching/maps/{id}/"),
        ("carol", "/coaching/maps/{id}/"),
        ("bob", "/api/v1/coaching/maps/{id}"),
        ("alice", "/api/v1/coaching/calls/{call}/worksheet"),
        ("bob", "/coaching/summaries/{received}/"),
        ("carol", "/coaching/summaries/{received}/"),
        ("carol", "/api/v1/coaching/summaries/{received}"),
        ("alice", "/coaching/calls/{call}/summary/"),
        ("alice", "/api/v1/coaching/calls/{call}/summary"),
    ):
        client = client_for(personas[who])
        real = client.get(path.format(id=world["map"], call=world["call"], **_ids(world)))
        nothing = client.get(
            path.format(id=world["nothing"], call=world["nothing"], received=world["nothing"])
        )
        assert real.status_code == nothing.status_code == 404
        assert _same(real.content) == _same(nothing.content), path
    # What alice no longer grants carol (revoked), or grants bob, reads as nothing to carol.
    api = "/api/v1/coaching/clients/{connection}/shared/{id}/map"
    for path, gone in (
        ("/connections/shared/{id}/?period=30", "revoked_map"),
        ("/connections/shared/{id}/", "to_bob"),
        (api, "revoked_map"),
        (api, "to_bob"),
        ("/api/v1/shared-with-me/{id}?period=30", "revoked_map"),
    ):
        client = client_for(personas["carol"])
        real = client.get(path.format(id=world[gone], connection=world["connection"]))
        nothing = client.get(path.format(id=world["nothing"], connection=world["connection"]))
        assert real.status_code == nothing.status_code == 404
        assert _same(real.content) == _same(nothing.content), path


def _ids(world: dict[str, str]) -> dict[str, str]:
    return {"received": world["received"]}


def _same(body: bytes) -> bytes:
    # Each answer has its own CSP nonce and CSRF token; everything else must be equal.
    body = re.sub(rb'nonce="[^"]*"', b"", body)
    body = re.sub(rb'data-csrf-token="[^"]*"', b"", body)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)
