"""/api/v1/themes and the ``theme`` field of moments."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tend.api.services import token_create
from tend.api.tests.conftest import token_client
from tend.journal.models import Moment, Theme
from tend.journal.tests.factories import MomentFactory
from tend.journal.themes import theme_create

pytestmark = pytest.mark.django_db

CANARY = "CANARY-theme-api-5e1a"


def api_for(user: Any) -> Client:
    return token_client(token_create(user=user, name="test", scope="write")[1])


def send(client: Client, method: str, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def test_alice_names_lists_renames_archives_and_deletes_a_theme(alice: Any) -> None:
    client = api_for(alice)
    created = send(client, "post", "/api/v1/themes", {"name": "phone at dinner"})
    assert created.status_code == 201
    theme = created.json()
    assert (theme["name"], theme["archived"], theme["moment_count"]) == (
        "phone at dinner",
        False,
        0,
    )
    url = f"/api/v1/themes/{theme['id']}"
    changed = send(client, "patch", url, {"name": "phones at meals", "archived": True})
    assert (changed.json()["name"], changed.json()["archived"]) == ("phones at meals", True)
    assert client.get(url).json()["name"] == "phones at meals"
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_the_list_pages_with_cursors(alice: Any) -> None:
    for n in range(5):
        theme_create(actor=alice, name=f"theme {n}")
    client = api_for(alice)
    first = client.get("/api/v1/themes?limit=3").json()
    assert [t["name"] for t in first["items"]] == ["theme 0", "theme 1", "theme 2"]
    rest = client.get(f"/api/v1/themes?limit=3&cursor={first['next_cursor']}").json()
    assert [t["name"] for t in rest["items"]] == ["theme 3", "theme 4"]
    assert rest["next_cursor"] is None


def test_bob_can_neither_see_nor_change_alices_theme(alice: Any, bob: Any) -> None:
    theme = theme_create(actor=alice, name=CANARY)
    client = api_for(bob)
    url = f"/api/v1/themes/{theme.id}"
    assert client.get(url).status_code == 404
    assert send(client, "patch", url, {"name": "mine"}).status_code == 404
    assert client.delete(url).status_code == 404
    listed = client.get("/api/v1/themes")
    assert listed.json()["items"] == [] and CANARY not in listed.content.decode()
    theme.refresh_from_db()
    assert theme.name == CANARY


def test_a_moment_is_filed_by_theme_id_and_shows_it(alice: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    client = api_for(alice)
    created = send(
        client,
        "post",
        "/api/v1/moments",
        {"states": ["fight"], "theme": str(theme.id)},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert created.status_code == 201
    assert created.json()["theme"] == str(theme.id)
    # The same key with another theme is a different moment: a conflict, not a quiet replay.
    other = theme_create(actor=alice, name="dates")
    again = send(
        client,
        "post",
        "/api/v1/moments",
        {"states": ["fight"], "theme": str(other.id)},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert again.status_code == 409
    url = f"/api/v1/moments/{created.json()['id']}"
    unfiled = send(client, "patch", url, {"theme": None})
    assert unfiled.json()["theme"] is None
    assert unfiled.json()["edited"] is False
    refiled = send(client, "patch", url, {"theme": str(other.id)})
    assert refiled.json()["theme"] == str(other.id)


def test_bob_cannot_file_under_alices_theme_through_the_api(alice: Any, bob: Any) -> None:
    theme = theme_create(actor=alice, name=CANARY)
    client = api_for(bob)
    created = send(client, "post", "/api/v1/moments", {"states": ["fight"], "theme": str(theme.id)})
    assert created.status_code == 422
    assert created.json()["errors"][0]["message"] == "Choose one of your own themes."
    assert not Moment.objects.filter(author=bob).exists()
    (bobs,) = [MomentFactory(author=bob)]
    patched = send(client, "patch", f"/api/v1/moments/{bobs.id}", {"theme": str(theme.id)})
    assert patched.status_code == 422
    bobs.refresh_from_db()
    assert bobs.theme_id is None


def test_suggest_answers_themes_with_their_reasons(alice: Any, bob: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    for cue in ("phone at dinner", "their phone buzzing through dinner"):
        MomentFactory(author=alice, cue=cue, theme=theme)
    answer = send(api_for(alice), "post", "/api/v1/themes/suggest", {"cue": "phone at dinner"})
    (suggestion,) = answer.json()["suggestions"]
    assert suggestion["theme"] == {"id": str(theme.id), "name": "phone at dinner"}
    assert suggestion["shared_words"] == ["phone", "dinner"]
    assert suggestion["moment_count"] == 2
    assert "2 moments" in suggestion["explanation"]
    nothing = send(api_for(bob), "post", "/api/v1/themes/suggest", {"cue": "phone at dinner"})
    assert nothing.json() == {"suggestions": []}


def test_a_name_too_long_or_taken_is_a_422_that_says_so(alice: Any) -> None:
    client = api_for(alice)
    send(client, "post", "/api/v1/themes", {"name": "phone at dinner"})
    taken = send(client, "post", "/api/v1/themes", {"name": "PHONE at dinner"})
    assert taken.status_code == 422
    assert "already" in json.dumps(taken.json())
    long = send(client, "post", "/api/v1/themes", {"name": "x" * 81})
    assert long.status_code == 422
    assert Theme.objects.count() == 1


def test_export_holds_themes_and_each_moments_theme(alice: Any) -> None:
    from tend.journal.export import export_moments, export_themes

    theme = theme_create(actor=alice, name=CANARY)
    MomentFactory(author=alice, theme=theme)
    assert export_themes(alice)[0]["name"] == CANARY
    assert export_moments(alice)[0]["theme"] == str(theme.id)
