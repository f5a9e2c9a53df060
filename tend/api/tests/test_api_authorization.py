"""Every endpoint of the API, tried as each persona: anonymous, alice (owner) and the others."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.api.tests.conftest import TokenMaker, assert_problem, bearer, token_client
from tend.conftest import client_for
from tend.core.models import AuditEvent

OTHERS = ["bob", "carol", "mallory"]


def test_anonymous_callers_get_a_401_problem_from_every_endpoint(
    client: Client, alice: User, make_token: TokenMaker
) -> None:
    token, _ = make_token(alice)
    calls = [
        client.get("/api/v1/me"),
        client.get("/api/v1/tokens"),
        client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json"),
        client.delete(f"/api/v1/tokens/{token.id}"),
    ]
    for response in calls:
        body = assert_problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Bearer" in body["detail"]
    assert ApiToken.objects.get(id=token.id).revoked_at is None


def test_me_tells_the_signed_in_person_who_they_are(alice: User) -> None:
    body = client_for(alice).get("/api/v1/me").json()
    assert body == {
        "id": str(alice.id),
        "email": "alice@example.test",
        "display_name": "Alice",
        "time_zone": "Europe/Berlin",
        "language": "en",
    }


def test_me_answers_the_token_owner_not_the_session(
    alice: User, bob: User, make_token: TokenMaker
) -> None:
    # Bob's browser session carrying alice's token is alice, by her token.
    _, secret = make_token(alice, scope="read")
    response = client_for(bob).get("/api/v1/me", **bearer(secret))
    assert response.json()["id"] == str(alice.id)


@pytest.mark.parametrize("persona", ["alice", *OTHERS])
def test_token_list_shows_only_the_callers_own_tokens(
    persona: str, personas: dict[str, User | None], make_token: TokenMaker
) -> None:
    alice = personas["alice"]
    assert alice is not None
    alices, _ = make_token(alice, name="Alice's script")
    viewer = personas[persona]
    assert viewer is not None
    response = client_for(viewer).get("/api/v1/tokens")
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert (str(alices.id) in ids) == (persona == "alice")


def test_token_list_never_includes_the_secret_or_its_hash(
    alice: User, make_token: TokenMaker
) -> None:
    token, secret = make_token(alice)
    item = client_for(alice).get("/api/v1/tokens").json()["items"][0]
    assert set(item) == {
        "id", "name", "prefix", "scope", "created_at", "last_used_at", "revoked_at"
    }
    assert secret not in str(item) and token.hashed not in str(item)
    assert secret.startswith(item["prefix"])


@pytest.mark.parametrize("persona", OTHERS)
def test_others_cannot_revoke_alices_token_and_are_told_it_does_not_exist(
    persona: str, personas: dict[str, User | None], make_token: TokenMaker
) -> None:
    alice = personas["alice"]
    assert alice is not None
    token, secret = make_token(alice)
    other = personas[persona]
    assert other is not None
    _, others_secret = make_token(other)
    for client in (client_for(other), token_client(others_secret)):
        response = client.delete(f"/api/v1/tokens/{token.id}")
        missing = client.delete("/api/v1/tokens/00000000-0000-4000-8000-000000000000")
        assert assert_problem(response, 404) == assert_problem(missing, 404)
    assert token_client(secret).get("/api/v1/me").status_code == 200


def test_alice_revokes_her_token_and_it_stops_working_at_once(
    alice: User, make_token: TokenMaker
) -> None:
    token, secret = make_token(alice)
    response = client_for(alice).delete(f"/api/v1/tokens/{token.id}")
    assert response.status_code == 204
    assert_problem(token_client(secret).get("/api/v1/me"), 401)
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert event.actor == alice and event.target_id == str(token.id)


def test_a_write_token_can_revoke_itself(alice: User, make_token: TokenMaker) -> None:
    token, secret = make_token(alice, scope="write")
    assert token_client(secret).delete(f"/api/v1/tokens/{token.id}").status_code == 204
    assert ApiToken.objects.get(id=token.id).revoked_at is not None


def test_creating_a_token_through_the_api_shows_the_secret_once(alice: User) -> None:
    client = client_for(alice)
    response = client.post(
        "/api/v1/tokens", {"name": "Shortcut", "scope": "read"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("tend_") and body["scope"] == "read"
    assert token_client(body["token"]).get("/api/v1/me").json()["id"] == str(alice.id)
    listed = client.get("/api/v1/tokens").json()["items"][0]
    assert "token" not in listed
    event = AuditEvent.objects.get(action="api.token_created")
    assert event.meta == {"scope": "read"} and "Shortcut" not in str(event.__dict__)


def test_session_writes_need_the_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        "/api/v1/tokens", {"name": "Shortcut"}, content_type="application/json"
    )
    assert "CSRF" in assert_problem(response, 403)["detail"]
    client.get("/settings/tokens/")  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/tokens", {"name": "Shortcut"}, content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201


def test_a_token_needs_no_csrf_token(alice: User, make_token: TokenMaker) -> None:
    _, secret = make_token(alice, scope="write")
    client = Client(enforce_csrf_checks=True, **bearer(secret))
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 201


def test_a_read_token_may_read_but_not_write(alice: User, make_token: TokenMaker) -> None:
    token, secret = make_token(alice, scope="read")
    client = token_client(secret)
    assert client.get("/api/v1/tokens").status_code == 200
    create = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    revoke = client.delete(f"/api/v1/tokens/{token.id}")
    assert "only read" in assert_problem(create, 403)["detail"]
    assert_problem(revoke, 403)
    assert ApiToken.objects.filter(user=alice).count() == 1
    assert ApiToken.objects.get(id=token.id).revoked_at is None


def test_last_used_moves_at_most_once_a_minute(
    alice: User, make_token: TokenMaker, time_machine: Any
) -> None:
    time_machine.move_to("2026-03-01 09:00:00+00:00", tick=False)
    token, secret = make_token(alice)
    client = token_client(secret)
    client.get("/api/v1/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    time_machine.move_to("2026-03-01 09:00:30+00:00", tick=False)
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    time_machine.move_to("2026-03-01 09:01:30+00:00", tick=False)
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first


def test_docs_and_openapi_are_public(client: Client, db: Any) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"ninja/swagger-ui-bundle.js" in docs.content
