"""The API describes itself in valid OpenAPI 3, and keeps its word (schemathesis)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from config.wsgi import application
from tend.accounts.models import User
from tend.api.services import token_create


def test_openapi_json_is_valid_openapi_3(client: Client, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    OPENAPI_31_VALIDATOR.validate(schema)
    paths = schema["paths"]
    assert {"/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}"} <= set(paths)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    for operations in paths.values():
        for operation in operations.values():
            problem = operation["responses"]["default"]["content"]
            assert "application/problem+json" in problem


def test_the_schema_loads_in_schemathesis_without_errors(db: Any) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    schema.validate()


@pytest.fixture
def keep_connection(db: Any) -> Iterator[None]:
    # Schemathesis calls the WSGI app directly, which closes the database connection at the end
    # of each request; inside the test's transaction that would lose it (PostgreSQL). Django's
    # own test client disconnects the same signal handlers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def write_token(keep_connection: None, monkeypatch: pytest.MonkeyPatch) -> str:
    # Schemathesis probes every authenticated operation with invalid credentials on purpose,
    # more than the 20 a minute after which the API answers 429; here each probe must be
    # judged on its own (a 401), so the limit is lifted for the run; test_lockouts.py covers it.
    monkeypatch.setattr("tend.api.auth.FAILED_BEARER_LIMIT", 10**6)
    user = User.objects.create_user("fuzz@example.test", "calm-harbour-42")
    return token_create(user=user, name="Schemathesis", scope="write")[1]


# Loaded at collection: serving openapi.json needs no database. Safety Check revokes every
# token of its caller, the fuzzing token included, so it is left out here; its own tests cover it.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).exclude(
    path="/api/v1/connections/safety-check"
)


# Rows written by one example stay for the next (one test transaction); that is fine here and
# makes later examples list and revoke real tokens.
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("TEND_FUZZ_EXAMPLES", "25")),
    deadline=None,
    # The same examples on every run, so that CI checks what a developer checked; set
    # TEND_FUZZ_RANDOM=1 to explore fresh examples instead.
    derandomize=os.environ.get("TEND_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_keeps_to_its_schema(case: Any, write_token: str) -> None:
    # Every check schemathesis has but one: "schema-valid data is accepted" cannot hold for an
    # API that checks what a JSON schema cannot say (an opaque cursor, a code from the person's
    # own vocabulary, an id that must be theirs, text without control characters); there a
    # schema-valid 422 that says what to fix is the right answer. Invalid data must still be
    # refused, and nothing may answer 5xx.
    response = case.call_and_validate(
        # schemathesis offers gzip (as its HTTP client does) but does not decode it when it
        # calls the app directly, so ask for the answer as it is.
        headers={"Authorization": f"Bearer {write_token}", "Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance],
    )
    # The token is valid and may write: anything but a 401 or 403 shows the run got past auth.
    assert response.status_code not in {401, 403}, response.text


def test_the_openapi_document_has_no_duplicate_keys(client: Any, db: Any) -> None:
    """JSON.parse forgives a repeated key; the YAML parser in Swagger UI does not."""
    import json

    duplicates: list[str] = []

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
    assert duplicates == []


def test_no_two_schemas_share_a_name() -> None:
    """OpenAPI names each schema by its class name; a second class of that name would silently
    take the first one's place in the document, and clients would read the wrong fields."""
    from ninja import Schema as NinjaSchema

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, str] = {}
    clashes = []
    for cls in subclasses(NinjaSchema):
        if not cls.__module__.startswith("tend.") or "[" in cls.__name__:
            continue  # ninja's own, and generic instances such as Page[MomentOut]
        where = f"{cls.__module__}.{cls.__qualname__}"
        if seen.setdefault(cls.__name__, where) != where:
            clashes.append((seen[cls.__name__], where))
    assert not clashes
