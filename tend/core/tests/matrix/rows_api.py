"""The API's own routes: tokens, moments, themes, people and the rest of the journal.

Rows run in the order ``test_authorization_matrix.TABLE`` lists them (see there)."""

from __future__ import annotations

from tend.core.tests.matrix.base import (
    API_ALICES,
    API_OWN,
    OTHERS,
    Row,
    owned,
    public,
)

API: list[Row] = [
    # --- API -----------------------------------------------------------------------------
    Row("api/v1/openapi.json", "GET", "/api/v1/openapi.json", public()),
    Row("api/v1/docs", "GET", "/api/v1/docs", public()),
    Row("api/v1/", "GET", "/api/v1/", public(404)),
    Row("api/v1/^.*$", "GET", "/api/v1/nothing-here", public(404)),
    Row("api/v1/me", "GET", "/api/v1/me", API_OWN),
    Row("api/v1/tokens", "GET", "/api/v1/tokens", API_OWN),
    Row(
        "api/v1/tokens",
        "POST",
        "/api/v1/tokens",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"name": "matrix", "scope": "read"},
        json=True,
    ),
    Row("api/v1/tokens/<token_id>", "DELETE", "/api/v1/tokens/{token}", owned(204, 401)),
    Row("api/v1/moments", "GET", "/api/v1/moments", API_OWN),
    Row(
        "api/v1/moments",
        "POST",
        "/api/v1/moments",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"kind": "activation", "states": ["freeze"]},
        json=True,
    ),
    Row("api/v1/moments/export", "GET", "/api/v1/moments/export", API_OWN),
    Row("api/v1/moments/export", "GET", "/api/v1/moments/export?format=csv", API_OWN),
    # Without a file there is nothing to import (422); an import only ever lands in one's own.
    Row(
        "api/v1/moments/import",
        "POST",
        "/api/v1/moments/import",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 422)},
    ),
    Row("api/v1/moments/<moment_id>", "GET", "/api/v1/moments/{moment}", API_ALICES),
    Row(
        "api/v1/moments/<moment_id>",
        "PATCH",
        "/api/v1/moments/{moment}",
        API_ALICES,
        data={"intensity": 3},
        json=True,
    ),
    Row("api/v1/moments/<moment_id>", "DELETE", "/api/v1/moments/{moment}", owned(204, 401)),
    Row(
        "api/v1/moments/<moment_id>/restore",
        "POST",
        "/api/v1/moments/{moment}/restore",
        owned(200, 401),
    ),
    Row(
        "api/v1/moments/<moment_id>/versions",
        "GET",
        "/api/v1/moments/{moment}/versions",
        API_ALICES,
    ),
    Row("api/v1/people", "GET", "/api/v1/people", API_OWN),
    Row(
        "api/v1/people",
        "POST",
        "/api/v1/people",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"label": "Sam"},
        json=True,
    ),
    Row("api/v1/people/<person_id>", "GET", "/api/v1/people/{person}", API_ALICES),
    Row(
        "api/v1/people/<person_id>",
        "PATCH",
        "/api/v1/people/{person}",
        API_ALICES,
        data={"label": "S."},
        json=True,
    ),
    Row("api/v1/people/<person_id>", "DELETE", "/api/v1/people/{person}", owned(204, 401)),
    Row("api/v1/vocabulary", "GET", "/api/v1/vocabulary", API_OWN),
    Row(
        "api/v1/vocabulary/own",
        "POST",
        "/api/v1/vocabulary/own",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"kind": "needs", "label": "being chosen"},
        json=True,
    ),
    Row("api/v1/themes", "GET", "/api/v1/themes", API_OWN),
    Row(
        "api/v1/themes",
        "POST",
        "/api/v1/themes",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"name": "phone at dinner"},
        json=True,
    ),
    Row("api/v1/themes/<theme_id>", "GET", "/api/v1/themes/{theme}", API_ALICES),
    Row(
        "api/v1/themes/<theme_id>",
        "PATCH",
        "/api/v1/themes/{theme}",
        API_ALICES,
        data={"archived": False},
        json=True,
    ),
    Row("api/v1/themes/<theme_id>", "DELETE", "/api/v1/themes/{theme}", owned(204, 401)),
]
