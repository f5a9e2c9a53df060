from __future__ import annotations

import json
from typing import Any

import pytest

from tend.conftest import client_for
from tend.journal.models import Moment
from tend.journal.services import moment_log
from tend.practices import catalogue
from tend.practices.models import CustomPractice, PracticeSession
from tend.practices.tests.factories import CustomPracticeFactory, PracticeSessionFactory

pytestmark = pytest.mark.django_db


def post(client: Any, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def test_the_library_lists_the_catalogue_then_ones_own(alice: Any, bob: Any) -> None:
    CustomPracticeFactory(author=alice, name="Alice's own")
    CustomPracticeFactory(author=bob, name="Bob's own")
    items = client_for(alice).get("/api/v1/practices").json()["items"]
    assert len(items) == len(catalogue.PRACTICES) + 1
    assert items[-1]["title"] == "Alice's own" and items[-1]["code"] == "custom"
    assert all(i["steps"] and i["suits_states"] for i in items[:-1])
    fight = client_for(alice).get("/api/v1/practices?kind=breath&state=fight").json()["items"]
    assert {i["code"] for i in fight} >= {"long_exhale", "physiological_sigh"}
    assert all(i["kind"] == "breath" and "fight" in i["suits_states"] for i in fight)


def test_a_catalogue_practice_reads_with_its_phases(alice: Any) -> None:
    body = client_for(alice).get("/api/v1/practices/catalogue/box_breathing").json()
    assert body["pattern"] == [4, 4, 4, 4] and len(body["phases"]) == 4
    missing = client_for(alice).get("/api/v1/practices/catalogue/nope")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_own_practices_crud_and_others_get_404(alice: Any, bob: Any) -> None:
    client = client_for(alice)
    created = post(
        client,
        "/api/v1/practices/own",
        {"name": "Ocean", "pattern": [4, 0, 8, 0], "duration_seconds": 120},
    )
    assert created.status_code == 201, created.content
    practice_id = created.json()["id"]
    assert client.get("/api/v1/practices/own").json()["items"][0]["name"] == "Ocean"
    patched = client.patch(
        f"/api/v1/practices/own/{practice_id}",
        data=json.dumps({"name": "Ocean breath", "suits_states": ["flight"]}),
        content_type="application/json",
    )
    assert patched.json()["name"] == "Ocean breath" and patched.json()["suits_states"] == ["flight"]
    assert client_for(bob).get(f"/api/v1/practices/own/{practice_id}").status_code == 404
    assert client_for(bob).delete(f"/api/v1/practices/own/{practice_id}").status_code == 404
    assert client.delete(f"/api/v1/practices/own/{practice_id}").status_code == 204
    assert not CustomPractice.objects.exists()


def test_an_invalid_own_practice_is_a_problem_that_does_not_echo_it(alice: Any) -> None:
    response = post(
        client_for(alice), "/api/v1/practices/own", {"name": "SECRET-name", "pattern": [0, 0, 5, 0]}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert b"SECRET" not in response.content
    assert response.json()["errors"][0]["location"] == "body.pattern"
    breathless = post(client_for(alice), "/api/v1/practices/own", {"name": "x", "kind": "breath"})
    assert breathless.status_code == 422


def test_sessions_are_recorded_and_listed_only_for_their_author(alice: Any, bob: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    response = post(
        client_for(alice),
        "/api/v1/practices/sessions",
        {
            "practice_code": "wall_push",
            "intensity_before": 7,
            "intensity_after": 5,
            "duration_seconds": 60,
            "state": "fight",
            "moment_id": str(moment.id),
        },
    )
    assert response.status_code == 201, response.content
    session = response.json()
    assert session["title"] == "Pushing against a wall" and session["moment_id"] == str(moment.id)
    assert (
        client_for(alice).get("/api/v1/practices/sessions").json()["items"][0]["id"]
        == (session["id"])
    )
    assert client_for(bob).get("/api/v1/practices/sessions").json()["items"] == []
    assert client_for(bob).get(f"/api/v1/practices/sessions/{session['id']}").status_code == 404
    # Bob cannot hang his session on alice's moment.
    theirs = post(
        client_for(bob),
        "/api/v1/practices/sessions",
        {"practice_code": "wall_push", "moment_id": str(moment.id)},
    )
    assert theirs.status_code == 422


def test_a_session_with_someone_elses_own_practice_is_refused(alice: Any, bob: Any) -> None:
    practice = CustomPracticeFactory(author=alice)
    response = post(
        client_for(bob),
        "/api/v1/practices/sessions",
        {"practice_code": "custom", "custom_practice_id": str(practice.id)},
    )
    assert response.status_code == 422
    assert not PracticeSession.objects.exists()


def test_the_outcome_creates_a_moment_and_session_once_per_key(alice: Any) -> None:
    client = client_for(alice)
    body = {
        "practice_code": "long_exhale",
        "intensity_before": 8,
        "intensity_after": 4,
        "state": "flight",
        "duration_seconds": 90,
    }
    first = post(client, "/api/v1/practices/outcomes", body, HTTP_IDEMPOTENCY_KEY="abc")
    again = post(client, "/api/v1/practices/outcomes", body, HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    moment = Moment.objects.get(author=alice)
    assert (moment.intensity, moment.intensity_after, moment.states) == (8, 4, ["flight"])
    assert str(moment.id) == first.json()["moment_id"]
    assert first.json()["session"]["intensity_after"] == 4


def test_suggestions_prefer_what_helped_and_say_how_often(alice: Any) -> None:
    for before, after in ((8, 6), (7, 6), (9, 7)):
        PracticeSessionFactory(
            author=alice,
            practice_code="box_breathing",
            state="fight",
            intensity_before=before,
            intensity_after=after,
        )
    for before, after in ((8, 3), (8, 4)):
        PracticeSessionFactory(
            author=alice,
            practice_code="wall_push",
            state="fight",
            intensity_before=before,
            intensity_after=after,
        )
    found = client_for(alice).get("/api/v1/practices/suggestions?state=fight").json()
    assert [s["practice"]["code"] for s in found[:2]] == ["wall_push", "box_breathing"]
    assert (found[0]["tries"], found[0]["median_drop"], found[0]["from_history"]) == (2, 4.5, True)
    assert found[1]["tries"] == 3 and found[1]["median_drop"] == 2
    assert found[2]["from_history"] is False and "fight" in found[2]["practice"]["suits_states"]
