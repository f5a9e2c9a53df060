"""Who may suggest, withdraw, set aside and see progress: every new route, every persona.

The world: carol is alice's practitioner. She suggested a breath practice weekly with a note
(``CANARY``) and her own practice (named ``CANARY``) once; alice did the breath practice twice.
Bob is alice's partner; mallory a stranger. Two worlds for carol: with alice's practice-progress
grant (``granted``) and without it, where the progress answers exactly like an unknown client.
Each row runs in a rolled-back savepoint. Only carol and alice ever read the canary.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tend.accounts.models import User
from tend.coaching.suggestions import suggestion_create
from tend.coaching.tests.homework_routes import HOMEWORK_ROUTES
from tend.coaching.tests.test_authorization import (
    API,
    CANARY,
    LOGIN,
    PERSONAS,
    READERS,
    Row,
    _matches,
    _same,
    every,
    only,
)
from tend.conftest import client_for
from tend.connections.tests.factories import connect, share
from tend.core.tests.matrix.base import all_routes
from tend.practices.services import custom_practice_create, practice_session_record


def _rows(progress: Any) -> list[Row]:
    return [
        Row(
            "coaching/clients/<uuid:id>/suggestions/",
            "POST",
            "/coaching/clients/{connection}/suggestions/",
            only("carol", 302),
            data={"practice": "box_breathing", "rhythm": "weekly", "days": ["TU"]},
        ),
        Row(
            "coaching/clients/<uuid:id>/suggestions/",
            "POST",
            "/coaching/clients/{nothing}/suggestions/",
            every(404),
            data={"practice": "box_breathing"},
        ),
        Row(
            "coaching/suggestions/<uuid:id>/withdraw/",
            "POST",
            "/coaching/suggestions/{weekly}/withdraw/",
            only("carol", 302),
        ),
        Row(
            "coaching/suggestions/<uuid:id>/withdraw/",
            "POST",
            "/coaching/suggestions/{nothing}/withdraw/",
            every(404),
        ),
        Row(
            "coaching/suggestions/<uuid:id>/decline/",
            "POST",
            "/coaching/suggestions/{weekly}/decline/",
            only("alice", 302),
            data={"reason": "not_now"},
        ),
        Row(
            "coaching/suggestions/<uuid:id>/decline/",
            "POST",
            "/coaching/suggestions/{nothing}/decline/",
            every(404),
        ),
        # The pages that show them: alice's home and connection page, carol's client page,
        # and carol's own practice, which alice may play while it is suggested to her.
        Row("home/", "GET", "/home/", every(200)),
        Row("connections/<uuid:id>/", "GET", "/connections/{connection}/", only_two(200)),
        Row(
            "coaching/clients/<uuid:id>/",
            "GET",
            "/coaching/clients/{connection}/",
            only("carol", 200),
        ),
        Row("practices/own/<uuid:id>/", "GET", "/practices/own/{custom}/", only_two(200)),
        Row(
            "connections/shared/<uuid:id>/",
            "GET",
            "/connections/shared/{granted}/",
            only("carol", progress),
        ),
        # The API.
        Row(
            API + "clients/<connection_id>/suggestions",
            "GET",
            "/api/v1/coaching/clients/{connection}/suggestions",
            only("carol", 200, anonymous=401),
        ),
        Row(
            API + "clients/<connection_id>/suggestions",
            "GET",
            "/api/v1/coaching/clients/{nothing}/suggestions",
            every(404, anonymous=401),
        ),
        Row(
            API + "clients/<connection_id>/suggestions",
            "POST",
            "/api/v1/coaching/clients/{connection}/suggestions",
            only("carol", 201, anonymous=401),
            data={"practice": "long_exhale", "rhythm": "weekly", "days": ["MO"], "note": "x"},
            json=True,
        ),
        Row(API + "suggestions", "GET", "/api/v1/coaching/suggestions", every(200, anonymous=401)),
        Row(
            API + "suggestions/<suggestion_id>/withdraw",
            "POST",
            "/api/v1/coaching/suggestions/{weekly}/withdraw",
            only("carol", 204, anonymous=401),
            json=True,
        ),
        Row(
            API + "suggestions/<suggestion_id>/decline",
            "POST",
            "/api/v1/coaching/suggestions/{weekly}/decline",
            only("alice", 204, anonymous=401),
            data={"reason": ""},
            json=True,
        ),
        Row(
            API + "suggestions/<suggestion_id>/decline",
            "POST",
            "/api/v1/coaching/suggestions/{nothing}/decline",
            every(404, anonymous=401),
            json=True,
        ),
        Row(
            API + "clients/<connection_id>/progress",
            "GET",
            "/api/v1/coaching/clients/{connection}/progress",
            only("carol", progress, anonymous=401),
        ),
        Row(
            API + "clients/<connection_id>/progress",
            "GET",
            "/api/v1/coaching/clients/{nothing}/progress",
            every(404, anonymous=401),
        ),
    ]


def only_two(status: Any) -> dict[str, Any]:
    expected = only("carol", status)
    expected["alice"] = status
    return expected


def _world(alice: User, bob: User, carol: User, *, grant: bool) -> dict[str, str]:
    connection = connect(carol, alice, kind="practitioner")
    connect(alice, bob)
    weekly = suggestion_create(
        actor=carol,
        connection=connection,
        practice="long_exhale",
        rhythm="weekly",
        days=["MO"],
        note=CANARY,
    )
    custom = custom_practice_create(author=carol, name=CANARY, steps="In\nOut", kind="grounding")
    suggestion_create(actor=carol, connection=connection, practice=f"custom:{custom.id}")
    for before, after in ((7, 4), (6, 3)):
        practice_session_record(
            author=alice,
            practice_code="long_exhale",
            intensity_before=before,
            intensity_after=after,
            duration_seconds=120,
            started_at=timezone.now().isoformat(),
        )
    granted = share(alice, connection, "practice_progress") if grant else None
    return {
        "connection": str(connection.id),
        "weekly": str(weekly.id),
        "custom": str(custom.id),
        "granted": str(granted.id) if granted else str(uuid.uuid4()),
        "nothing": str(uuid.uuid4()),
    }


def _run(persona: str, personas: dict[str, User | None], world: dict[str, str], rows: list[Row]):  # type: ignore[no-untyped-def]
    mismatches = []
    for row in rows:
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
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("persona", PERSONAS)
def test_with_the_progress_grant_each_persona_gets_what_the_table_says(
    persona: str, personas: dict[str, User | None], alice: User, bob: User, carol: User
) -> None:
    world = _world(alice, bob, carol, grant=True)
    _run(persona, personas, world, _rows(200))


@pytest.mark.parametrize("persona", PERSONAS)
def test_without_the_progress_grant_each_persona_gets_what_the_table_says(
    persona: str, personas: dict[str, User | None], alice: User, bob: User, carol: User
) -> None:
    world = _world(alice, bob, carol, grant=False)
    _run(persona, personas, world, _rows(404))


def test_carol_sees_progress_on_the_client_page_only_while_granted(
    alice: User, bob: User, carol: User
) -> None:
    world = _world(alice, bob, carol, grant=True)
    page = client_for(carol).get("/coaching/clients/{connection}/".format(**world))
    body = page.content.decode()
    assert "2 sessions" in body and "7 → 4" in body and "<svg" in body
    client_for(alice).post("/connections/shares/{granted}/revoke/".format(**world))
    body = client_for(carol).get("/coaching/clients/{connection}/".format(**world)).content
    assert b"2 sessions" not in body and b"Not shared with you" in body


def test_not_shared_and_unknown_progress_answer_alike(alice: User, bob: User, carol: User) -> None:
    world = _world(alice, bob, carol, grant=False)
    web = client_for(carol)
    real = web.get("/api/v1/coaching/clients/{connection}/progress".format(**world))
    nothing = web.get("/api/v1/coaching/clients/{nothing}/progress".format(**world))
    assert real.status_code == nothing.status_code == 404
    assert _same(real.content) == _same(nothing.content)
    for who in (bob, alice):
        real = client_for(who).post("/coaching/suggestions/{weekly}/withdraw/".format(**world))
        nothing = client_for(who).post("/coaching/suggestions/{nothing}/withdraw/".format(**world))
        assert real.status_code == nothing.status_code == 404
        assert _same(real.content) == _same(nothing.content)


def test_every_homework_route_has_rows() -> None:
    ours = {row.route for row in _rows(200)}
    assert ours >= HOMEWORK_ROUTES
    assert all_routes() >= HOMEWORK_ROUTES
    assert LOGIN  # the anonymous expectation comes from the coaching table's vocabulary
