from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tend.api.services import token_create
from tend.api.tests.conftest import assert_problem, token_client
from tend.conftest import client_for
from tend.journal.models import Moment, Theme
from tend.journal.services import moment_delete, moment_log
from tend.journal.themes import theme_archive, theme_delete

pytestmark = pytest.mark.django_db

URL = "/api/v1/moments"
CANARY = "CANARY-api-3d9e-only-alice-may-read-this"


def api_for(user: Any, scope: str = "write") -> Client:
    return token_client(token_create(user=user, name="test", scope=scope)[1])


def post(client: Client, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def alices_moment(alice: Any) -> Moment:
    moment, _ = moment_log(author=alice, states=["freeze"], cue=CANARY, intensity=5)
    return moment


# ---- Logging and idempotency ----------------------------------------------------------------


def test_logging_a_moment_answers_201_with_the_moment(alice: Any) -> None:
    response = post(
        api_for(alice),
        {
            "states": ["fight", "flight"],
            "cue": "phone at dinner",
            "intensity": 7,
            "body": [{"region": "chest", "sensations": ["tight"], "intensity": 6}],
            "needs": ["not_prioritised"],
            "contexts": ["at_home"],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "activation" and data["states"] == ["fight", "flight"]
    assert data["body"] == [{"region": "chest", "sensations": ["tight"], "intensity": 6}]
    assert Moment.objects.get(id=data["id"]).author == alice


def test_a_retry_with_the_same_key_answers_200_with_the_same_moment(alice: Any) -> None:
    client = api_for(alice)
    body = {"states": ["flight"], "cue": "they left", "occurred_at": "2026-05-01T20:30:00+02:00"}
    with time_machine.travel(dt.datetime(2026, 5, 2, tzinfo=dt.UTC)):
        first = post(client, body, key="2b0c7c1e-0f4e-4f7e-9a51-4c1f0c9f7e11")
        again = post(client, body, key="2b0c7c1e-0f4e-4f7e-9a51-4c1f0c9f7e11")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Moment.objects.count() == 1


def test_the_same_key_with_a_different_body_is_a_409_problem(alice: Any) -> None:
    client = api_for(alice)
    post(client, {"states": ["flight"]}, key="k-1")
    response = post(client, {"states": ["fight"]}, key="k-1")
    body = assert_problem(response, 409)
    assert "Idempotency-Key" in body["detail"]
    assert Moment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"states": ["fight"], "intensity": 11}, "body.intensity"),
        ({"states": ["rage"]}, "body.states"),
        ({"states": ["fight"], "body": [{"region": "tail"}]}, "body.body"),
        ({"cue": "hello\u0000world"}, "body.cue"),
        ({"cue": "x" * 3000}, "body.cue"),
        ({"states": ["fight"], "occurred_at": "2999-01-01T00:00:00Z"}, "body.occurred_at"),
        ({"states": ["fight"], "occurred_at": "2026-01-01T10:00:00"}, "body.occurred_at"),
        ({"states": ["fight"], "author": "someone"}, "body.author"),
        ({"intensity": 3}, "body.__all__"),
    ],
)
def test_invalid_moments_are_422_problems_that_say_where_and_store_nothing(
    alice: Any, body: dict[str, Any], location: str
) -> None:
    problem = assert_problem(post(api_for(alice), body), 422)
    assert location in {e["location"] for e in problem["errors"]}
    assert all(e["message"] for e in problem["errors"])
    assert Moment.objects.count() == 0


def test_a_one_megabyte_cue_is_refused_before_it_is_read(alice: Any) -> None:
    assert_problem(post(api_for(alice), {"cue": "x" * 1_000_000}), 413)
    assert Moment.objects.count() == 0


def test_an_error_never_echoes_what_was_sent(alice: Any) -> None:
    response = post(api_for(alice), {"cue": CANARY + "\u0007", "states": [CANARY]})
    assert response.status_code == 422
    assert CANARY not in response.content.decode()


def test_a_read_token_cannot_log_a_moment(alice: Any) -> None:
    assert_problem(post(api_for(alice, scope="read"), {"states": ["fight"]}), 403)
    assert Moment.objects.count() == 0


# ---- Reading, listing, filtering --------------------------------------------------------------


def test_the_list_is_paged_with_cursors_newest_first(alice: Any) -> None:
    now = timezone.now()
    for hours in range(5):
        moment_log(author=alice, states=["fight"], occurred_at=now - dt.timedelta(hours=hours))
    client = api_for(alice)
    first = client.get(URL + "?limit=3").json()
    second = client.get(URL + f"?limit=3&cursor={first['next_cursor']}").json()
    times = [m["occurred_at"] for m in first["items"] + second["items"]]
    assert len(times) == 5 and times == sorted(times, reverse=True)
    assert second["next_cursor"] is None


def test_the_list_filters_by_kind_and_state(alice: Any) -> None:
    moment_log(author=alice, states=["fight", "freeze"])
    moment_log(author=alice, states=["flight"])
    moment_log(author=alice, kind="glimmer", states=["connected"])
    client = api_for(alice)
    assert len(client.get(URL + "?kind=glimmer").json()["items"]) == 1
    by_state = client.get(URL + "?state=freeze").json()["items"]
    assert [m["states"] for m in by_state] == [["fight", "freeze"]]
    # "fight" must not match "flight" by accident.
    assert len(client.get(URL + "?state=fight").json()["items"]) == 1
    assert_problem(client.get(URL + "?state=angry"), 422)


def test_alice_reads_changes_deletes_and_restores_her_moment(
    alice: Any, alices_moment: Moment
) -> None:
    client = api_for(alice)
    url = f"{URL}/{alices_moment.id}"
    assert client.get(url).json()["cue"] == CANARY
    changed = patch(client, url, {"intensity_after": 2, "helped": "a slow exhale"})
    assert changed.status_code == 200
    assert changed.json()["edited"] is True and changed.json()["cue"] == CANARY
    assert client.delete(url).status_code == 204
    assert_problem(client.get(url), 404)
    restored = client.post(url + "/restore")
    assert restored.status_code == 200 and restored.json()["id"] == str(alices_moment.id)


def test_a_patch_that_empties_the_moment_is_refused(alice: Any, alices_moment: Moment) -> None:
    response = patch(api_for(alice), f"{URL}/{alices_moment.id}", {"cue": "", "states": []})
    assert_problem(response, 422)
    alices_moment.refresh_from_db()
    assert alices_moment.cue == CANARY


def test_undo_through_the_api_expires(alice: Any, alices_moment: Moment) -> None:
    moment_delete(actor=alice, moment=alices_moment)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        assert_problem(api_for(alice).post(f"{URL}/{alices_moment.id}/restore"), 410)


def test_the_vocabulary_lists_codes_labels_and_body_sides(alice: Any) -> None:
    data = api_for(alice).get("/api/v1/vocabulary").json()
    assert [s["code"] for s in data["states"]][:2] == ["connected", "fight"]
    assert len(data["regions"]) >= 24
    assert {"front", "back"} <= {side for r in data["regions"] for side in r["sides"]}
    assert all(t["label"] for key in ("sensations", "needs", "contexts") for t in data[key])


# ---- Authorization: every persona, every endpoint ---------------------------------------------


@pytest.mark.parametrize("who", ["bob", "carol", "mallory"])
def test_other_people_get_404_for_alices_moment_and_never_see_it(
    personas: dict[str, Any], alices_moment: Moment, who: str
) -> None:
    client = api_for(personas[who])
    url = f"{URL}/{alices_moment.id}"
    responses = [
        client.get(url),
        patch(client, url, {"cue": "mine now"}),
        client.delete(url),
        client.post(url + "/restore"),
    ]
    for response in responses:
        assert_problem(response, 404)
        assert CANARY not in response.content.decode()
    listing = client.get(URL)
    assert listing.json()["items"] == [] and CANARY not in listing.content.decode()
    alices_moment.refresh_from_db()
    assert alices_moment.cue == CANARY and alices_moment.deleted_at is None


def test_keys_are_per_person_so_mallory_cannot_fish_with_alices_key(
    alice: Any, mallory: Any
) -> None:
    post(api_for(alice), {"states": ["flight"], "cue": CANARY}, key="shared-key")
    response = post(api_for(mallory), {"states": ["fight"]}, key="shared-key")
    assert response.status_code == 201
    assert CANARY not in response.content.decode()


def test_anonymous_callers_get_401_problems(alices_moment: Moment) -> None:
    client = Client()
    url = f"{URL}/{alices_moment.id}"
    for response in (
        client.get(URL),
        post(client, {"states": ["fight"]}),
        client.get(url),
        patch(client, url, {"cue": "x"}),
        client.delete(url),
        client.get("/api/v1/vocabulary"),
    ):
        assert_problem(response, 401)
        assert CANARY not in response.content.decode()
    assert Moment.objects.count() == 1


def test_a_signed_in_session_may_use_the_api_with_csrf(alice: Any, alices_moment: Moment) -> None:
    client = client_for(alice)
    assert client.get(f"{URL}/{alices_moment.id}").json()["cue"] == CANARY


def test_an_unusable_idempotency_key_is_a_422_about_the_header(alice: Any) -> None:
    problem = assert_problem(post(api_for(alice), {"states": ["fight"]}, key="k" * 101), 422)
    assert problem["errors"][0]["location"] == "header.Idempotency-Key"
    assert Moment.objects.count() == 0


def test_a_retry_after_its_theme_was_archived_answers_with_the_moment_it_made(
    alice: Any,
) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    client = api_for(alice)
    body = {"states": ["fight"], "theme": str(theme.id)}
    first = post(client, body, key="k-archived")
    theme_archive(actor=alice, theme=theme)
    again = post(client, body, key="k-archived")
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert first.json()["id"] == again.json()["id"]
    assert Moment.objects.count() == 1


def test_a_retry_after_its_theme_was_archived_with_another_body_is_still_a_conflict(
    alice: Any,
) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    client = api_for(alice)
    post(client, {"states": ["fight"], "theme": str(theme.id)}, key="k-archived")
    theme_archive(actor=alice, theme=theme)
    response = post(client, {"states": ["freeze"], "theme": str(theme.id)}, key="k-archived")
    assert_problem(response, 409)


def test_a_new_key_cannot_file_under_an_archived_theme(alice: Any) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner", archived=True)
    response = post(api_for(alice), {"states": ["fight"], "theme": str(theme.id)}, key="k-new")
    body = assert_problem(response, 422)
    assert {e["location"] for e in body["errors"]} == {"body.theme"}
    assert not Moment.objects.exists()


def test_a_retry_after_its_theme_was_deleted_answers_with_the_moment_it_made(
    alice: Any,
) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    client = api_for(alice)
    body = {"states": ["fight"], "theme": str(theme.id)}
    first = post(client, body, key="k-deleted")
    theme_delete(actor=alice, theme=theme)
    again = post(client, body, key="k-deleted")
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert again.json()["id"] == first.json()["id"] and again.json()["theme"] is None
    other = post(client, {"states": ["fight"], "theme": str(uuid.uuid4())}, key="k-deleted")
    assert_problem(other, 409)
    assert Moment.objects.count() == 1
