"""Bad input answers a 4xx problem document that says what to fix, never a 500."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.api.tests.conftest import TokenMaker, assert_problem, bearer, token_client
from tend.conftest import client_for


def test_malformed_json_is_a_400_that_says_so(alice: User) -> None:
    response = client_for(alice).post(
        "/api/v1/tokens", "{not json", content_type="application/json"
    )
    assert assert_problem(response, 400)["detail"] == "The body is not valid JSON."


def test_a_body_that_is_not_utf8_is_a_400(alice: User) -> None:
    response = client_for(alice).post(
        "/api/v1/tokens", b"\xff\xfe\x00", content_type="application/json"
    )
    assert_problem(response, 400)


def test_wrong_types_list_each_field_and_how_to_fix_it(alice: User) -> None:
    response = client_for(alice).post(
        "/api/v1/tokens", {"name": 7, "scope": "admin"}, content_type="application/json"
    )
    body = assert_problem(response, 422)
    errors = {e["location"]: e["message"] for e in body["errors"]}
    assert errors["body.name"] == "Send text here."
    assert "read" in errors["body.scope"] and "write" in errors["body.scope"]


def test_unknown_fields_are_refused_not_ignored(alice: User) -> None:
    response = client_for(alice).post(
        "/api/v1/tokens",
        {"name": "Script", "scope": "read", "owner": "bob"},
        content_type="application/json",
    )
    body = assert_problem(response, 422)
    assert [e["message"] for e in body["errors"]] == [
        "This field is not accepted here; remove it."
    ]
    assert body["errors"][0]["location"] == "body.owner"
    assert not ApiToken.objects.exists()


def test_a_missing_body_names_the_missing_field(alice: User) -> None:
    response = client_for(alice).post("/api/v1/tokens", {}, content_type="application/json")
    body = assert_problem(response, 422)
    assert body["errors"][0]["message"] == "This field is required."


def test_a_blank_name_is_refused_with_words_a_person_can_act_on(alice: User) -> None:
    response = client_for(alice).post(
        "/api/v1/tokens", {"name": "   "}, content_type="application/json"
    )
    body = assert_problem(response, 422)
    assert body["errors"] == [
        {"location": "body.name", "message": "Give the token a name, such as “Phone shortcut”."}
    ]


def test_problems_never_echo_what_was_sent(alice: User) -> None:
    secret_words = "my partner's phone at dinner"
    response = client_for(alice).post(
        "/api/v1/tokens", {"name": secret_words * 5, "extra": secret_words},
        content_type="application/json",
    )
    assert_problem(response, 422)
    assert secret_words not in response.content.decode()


def test_an_oversized_body_is_a_413_before_it_is_read(alice: User) -> None:
    with override_settings(API_MAX_BODY_BYTES=100):
        response = client_for(alice).post(
            "/api/v1/tokens", json.dumps({"name": "x" * 200}), content_type="application/json"
        )
    assert "at most 100 bytes" in assert_problem(response, 413)["detail"]


def test_a_chunked_body_without_length_is_refused(alice: User) -> None:
    response = client_for(alice).generic(
        "POST", "/api/v1/tokens", b"", content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert_problem(response, 411)


def test_a_wrong_token_is_a_401_with_a_bearer_challenge(client: Client, db: Any) -> None:
    response = client.get("/api/v1/me", **bearer("tend_not-a-real-token"))
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_wrong_token_is_refused_even_inside_a_signed_in_session(alice: User) -> None:
    response = client_for(alice).get("/api/v1/me", **bearer("tend_guess"))
    assert_problem(response, 401)


def test_a_non_bearer_authorization_header_is_a_401(client: Client, db: Any) -> None:
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Basic YWxpY2U6cHc=")
    assert "Bearer" in assert_problem(response, 401)["detail"]


def test_a_revoked_token_is_a_401(alice: User, make_token: TokenMaker) -> None:
    token, secret = make_token(alice)
    client_for(alice).delete(f"/api/v1/tokens/{token.id}")
    assert_problem(token_client(secret).get("/api/v1/tokens"), 401)


def test_a_deactivated_persons_token_is_a_401(alice: User, make_token: TokenMaker) -> None:
    _, secret = make_token(alice)
    User.objects.filter(id=alice.id).update(is_active=False)
    assert_problem(token_client(secret).get("/api/v1/me"), 401)


def test_repeated_wrong_tokens_from_one_address_are_slowed_with_429(
    alice: User, make_token: TokenMaker
) -> None:
    _, good = make_token(alice)
    client = Client()
    # 15 s into a minute: the fixed window has 45 s left, and Retry-After says exactly that.
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC), tick=False):
        for _ in range(20):
            assert client.get("/api/v1/me", **bearer("tend_guess")).status_code == 401
        response = client.get("/api/v1/me", **bearer("tend_guess"))
        assert_problem(response, 429)
        assert response["Retry-After"] == "45"
        # Someone else's failures never lock a valid token out, even from the same address.
        assert client.get("/api/v1/me", **bearer(good)).status_code == 200


def test_a_wrong_method_is_a_405_problem_with_allow(alice: User) -> None:
    response = client_for(alice).put("/api/v1/me")
    assert_problem(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nothing-here", "/api/v1/tokens/x/y"])
def test_unknown_api_paths_are_a_404_problem(client: Client, db: Any, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_a_malformed_id_in_the_path_is_a_4xx_problem(alice: User) -> None:
    response = client_for(alice).delete("/api/v1/tokens/not-a-uuid")
    assert response.status_code in {404, 422}
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "limit=abc", "cursor=%%%", "cursor=WzFd"]
)
def test_bad_paging_parameters_are_a_422(alice: User, query: str) -> None:
    response = client_for(alice).get(f"/api/v1/tokens?{query}")
    body = assert_problem(response, 422)
    assert body["errors"][0]["location"].startswith("query.")


def test_an_unhandled_error_is_a_500_problem_without_details(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(**kwargs: Any) -> None:
        raise RuntimeError("secret internals: cue text")

    monkeypatch.setattr("tend.api.tokens_api.tokens_of", explode)
    response = client_for(alice).get("/api/v1/tokens")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert set(body) == {"type", "title", "status", "detail"}
