"""Bad input gets a problem document that says what to fix, never a 500 (issue 15, item 5).

Each case here was reproduced as a 500 first. They run on SQLite and on PostgreSQL (set
DATABASE_URL), which refuse different things: PostgreSQL refuses NUL in text, SQLite's date
functions stop at year 9999.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tend.api.errors import _MESSAGES
from tend.api.pagination import encode_cursor
from tend.api.services import token_create
from tend.api.tests.conftest import assert_problem, token_client
from tend.journal.models import Moment, Theme
from tend.journal.moment_fields import TEXT_FIELDS
from tend.journal.people import person_add
from tend.journal.services import moment_log
from tend.journal.transfer import journal_export_json

pytestmark = pytest.mark.django_db

LONE_SURROGATE = "\ud800"
NUL = "\x00"


def api_for(user: Any) -> Client:
    return token_client(token_create(user=user, name="test", scope="write")[1])


def send(client: Client, method: str, url: str, body: Any) -> Any:
    # json.dumps writes a lone surrogate as the escape "\ud800": valid JSON text whose string
    # cannot be encoded as UTF-8 (what a buggy client or a fuzzer sends).
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def locations(response: Any) -> set[str]:
    return {error["location"] for error in response.json().get("errors", [])}


# ---- Text that cannot be stored: lone surrogates and NUL ------------------------------------


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_lone_surrogate_in_a_new_moment_is_refused_where_it_is(alice: Any, field: str) -> None:
    response = send(
        api_for(alice), "post", "/api/v1/moments", {"states": ["freeze"], field: LONE_SURROGATE}
    )
    assert_problem(response, 422)
    assert locations(response) == {f"body.{field}"}
    assert not Moment.objects.exists()


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_lone_surrogate_in_a_change_is_refused_where_it_is(alice: Any, field: str) -> None:
    moment, _ = moment_log(author=alice, states=["freeze"], cue="kept as it was")
    response = send(
        api_for(alice), "patch", f"/api/v1/moments/{moment.id}", {field: f"a{LONE_SURROGATE}b"}
    )
    assert_problem(response, 422)
    assert locations(response) == {f"body.{field}"}
    moment.refresh_from_db()
    assert moment.cue == "kept as it was"


def test_a_lone_surrogate_in_a_nested_list_is_refused_where_it_is(alice: Any) -> None:
    response = send(
        api_for(alice),
        "post",
        "/api/v1/moments",
        {"states": ["freeze"], "needs": ["left_behind", LONE_SURROGATE]},
    )
    assert_problem(response, 422)
    assert locations(response) == {"body.needs.1"}


@pytest.mark.parametrize(
    "raw",
    [
        # A surrogate's own UTF-8-style bytes, no escape: Python's JSON parser lets them through.
        b'{"states": ["freeze"], "cue": "a\xed\xa0\x80b"}',
        # A NUL by its escape, in a body that holds no other escape.
        b'{"states": ["freeze"], "cue": "a\\u0000b"}',
        # An escape for a lone low surrogate, upper case.
        b'{"states": ["freeze"], "cue": "a\\uDC00b"}',
    ],
)
def test_unstorable_text_however_it_is_spelled_is_refused(alice: Any, raw: bytes) -> None:
    response = api_for(alice).post("/api/v1/moments", raw, content_type="application/json")
    assert_problem(response, 422)
    assert locations(response) == {"body.cue"}
    assert not Moment.objects.exists()


@pytest.mark.parametrize(
    "where",
    [
        *(("moments", 0, field) for field in TEXT_FIELDS),
        ("themes", 0, "name"),
        ("people", 0, "label"),
    ],
)
def test_a_lone_surrogate_in_a_json_import_is_refused(
    alice: Any, bob: Any, where: tuple[str, int, str]
) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    person, _ = person_add(owner=alice, label="Sam")
    moment_log(author=alice, states=["freeze"], cue="at dinner", theme=theme, people=[person.id])
    document = json.loads(journal_export_json(user=alice))
    part, index, field = where
    document[part][index][field] = LONE_SURROGATE
    upload = json.dumps(document).encode()  # ASCII: the surrogate travels as its escape
    response = api_for(bob).post(
        "/api/v1/moments/import",
        {"file": SimpleUploadedFile("journal.json", upload, "application/json")},
    )
    body = assert_problem(response, 422)
    assert body["errors"], body
    assert not Moment.objects.filter(author=bob).exists()


def test_a_nul_in_a_push_endpoint_is_refused(alice: Any) -> None:
    response = send(
        api_for(alice),
        "post",
        "/api/v1/notifications/push-subscriptions",
        {"endpoint": f"https://push.example/{NUL}x", "p256dh": "abc", "auth": "def"},
    )
    assert_problem(response, 422)
    assert locations(response) == {"body.endpoint"}


def test_a_nul_in_a_query_string_is_refused(alice: Any) -> None:
    response = api_for(alice).get("/api/v1/moments", {"state": f"fre{NUL}eze"})
    body = assert_problem(response, 422)
    assert body["errors"] == [{"location": "query.state", "message": _MESSAGES["unstorable_text"]}]


def test_a_nul_in_a_theme_name_is_refused(alice: Any) -> None:
    response = send(api_for(alice), "post", "/api/v1/themes", {"name": f"a{NUL}b"})
    assert_problem(response, 422)
    assert not Theme.objects.exists()


# ---- Dates at the edge of the calendar ------------------------------------------------------


@pytest.mark.parametrize("time_zone", ["Pacific/Kiritimati", "UTC", "Etc/GMT+12"])
@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ({"to": "9999-12-31"}, 1),
        ({"to": "9999-12-30"}, 1),
        ({"from": "0001-01-01"}, 1),
        ({"from": "0001-01-01", "to": "9999-12-31"}, 1),
        ({"from": "9999-12-31"}, 0),
        ({"to": "0001-01-01"}, 0),
    ],
)
def test_dates_at_the_calendar_edges_are_open_ends(
    alice: Any, time_zone: str, query: dict[str, str], finds: int
) -> None:
    alice.time_zone = time_zone
    alice.save(update_fields=["time_zone"])
    moment_log(author=alice, states=["freeze"])
    response = api_for(alice).get("/api/v1/moments", query)
    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == finds


@pytest.mark.parametrize(
    "sort_value",
    ["9999-12-31T23:59:59.999999+00:00", "9999-12-31T23:00:00-12:00", "0001-01-01T00:00:00+14:00"],
)
def test_a_cursor_at_the_calendar_edge_is_refused(alice: Any, sort_value: str) -> None:
    moment_log(author=alice, states=["freeze"])
    cursor = encode_cursor(sort_value, uuid.uuid4())
    response = api_for(alice).get("/api/v1/moments", {"cursor": cursor})
    assert response.status_code in {200, 422}, response.content
    if response.status_code == 422:
        assert locations(response) == {"query.cursor"}


# ---- Types are what the document says: no coercion ------------------------------------------


@pytest.mark.parametrize("value", [True, False, 5.0, "5"])
def test_an_intensity_that_is_not_a_whole_number_is_refused(alice: Any, value: Any) -> None:
    response = send(
        api_for(alice), "post", "/api/v1/moments", {"states": ["freeze"], "intensity": value}
    )
    assert_problem(response, 422)
    assert locations(response) == {"body.intensity"}
    assert not Moment.objects.exists()


@pytest.mark.parametrize("value", [0.0, 0, 1, "true", "false"])
def test_archived_that_is_not_true_or_false_is_refused(alice: Any, value: Any) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    response = send(api_for(alice), "patch", f"/api/v1/themes/{theme.id}", {"archived": value})
    assert_problem(response, 422)
    assert locations(response) == {"body.archived"}
    theme.refresh_from_db()
    assert theme.archived is False


def test_a_body_region_intensity_of_true_is_refused(alice: Any) -> None:
    response = send(
        api_for(alice),
        "post",
        "/api/v1/moments",
        {"states": ["freeze"], "body": [{"region": "chest", "intensity": True}]},
    )
    assert_problem(response, 422)
    assert locations(response) == {"body.body.0.intensity"}


def test_a_cursor_past_64_bits_is_refused(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["freeze"])
    cursor = encode_cursor(2**70, uuid.uuid4())
    response = api_for(alice).get(f"/api/v1/moments/{moment.id}/versions", {"cursor": cursor})
    assert_problem(response, 422)
    assert locations(response) == {"query.cursor"}


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-5-1"])
def test_a_date_filter_that_is_not_an_iso_day_is_refused(alice: Any, value: str) -> None:
    response = api_for(alice).get("/api/v1/moments", {"to": value})
    assert_problem(response, 422)
    assert locations(response) == {"query.to"}


@pytest.mark.parametrize("value", [0, 1700000000, 1.5, "1700000000"])
def test_a_time_that_is_a_number_is_refused(alice: Any, value: Any) -> None:
    response = send(
        api_for(alice), "post", "/api/v1/moments", {"states": ["freeze"], "occurred_at": value}
    )
    assert_problem(response, 422)
    assert locations(response) == {"body.occurred_at"}
