"""Edit history: each edit keeps the moment as it was, encrypted, for its author alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from tend.api.services import token_create
from tend.api.tests.conftest import token_client
from tend.conftest import client_for
from tend.journal.models import MomentVersion
from tend.journal.people import person_add
from tend.journal.services import moment_log, moment_update

pytestmark = pytest.mark.django_db

CANARY = "CANARY-first-words-e7a0"


def test_each_edit_keeps_the_moment_as_it_was(alice: Any) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    moment, _ = moment_log(author=alice, states=["fight"], cue=CANARY, intensity=7, people=[sam.id])
    moment_update(actor=alice, moment=moment, cue="calmer words", intensity=3, people=[])
    moment_update(actor=alice, moment=moment, notes="later note")
    first, second = MomentVersion.objects.filter(moment=moment).order_by("number")
    assert (first.number, first.cue, first.intensity, first.states) == (1, CANARY, 7, ["fight"])
    assert first.people == [str(sam.id)] and first.author_id == alice.pk
    assert (second.number, second.cue, second.intensity, second.people) == (
        2,
        "calmer words",
        3,
        [],
    )
    assert second.notes == "" and moment.notes == "later note"


def test_an_edit_that_changes_nothing_keeps_no_version(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], cue="same")
    moment_update(actor=alice, moment=moment, cue="same")
    assert not MomentVersion.objects.exists()


def test_earlier_words_are_encrypted_at_rest_too(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], cue=CANARY, story=CANARY, notes=CANARY)
    moment_update(actor=alice, moment=moment, cue="new", story="new", notes="new")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cue, story, part, urge, action, helped, notes FROM journal_momentversion"
        )
        rows = cursor.fetchall()
    assert rows and all(CANARY.encode() not in bytes(value) for row in rows for value in row)
    assert MomentVersion.objects.get().cue == CANARY


def test_the_detail_page_lists_earlier_versions_and_shows_one(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], cue=CANARY)
    moment_update(actor=alice, moment=moment, cue="calmer words")
    version = MomentVersion.objects.get()
    client = client_for(alice)
    detail = client.get(f"/journal/{moment.id}/").content.decode()
    assert "Earlier versions" in detail and f"/journal/{moment.id}/versions/{version.id}/" in detail
    assert CANARY not in detail  # the page shows the moment as it is now
    shown = client.get(f"/journal/{moment.id}/versions/{version.id}/")
    assert shown.status_code == 200 and CANARY in shown.content.decode()


def test_nobody_else_sees_alices_earlier_versions(alice: Any, bob: Any, mallory: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], cue=CANARY)
    moment_update(actor=alice, moment=moment, cue="calmer words")
    version = MomentVersion.objects.get()
    bobs, _ = moment_log(author=bob, states=["flight"], cue="bob's")
    for stranger in (bob, mallory):
        page = client_for(stranger).get(f"/journal/{moment.id}/versions/{version.id}/")
        assert page.status_code == 404 and CANARY not in page.content.decode()
        api = token_client(token_create(user=stranger, name="t", scope="read")[1])
        listed = api.get(f"/api/v1/moments/{moment.id}/versions")
        assert listed.status_code == 404 and CANARY not in listed.content.decode()
    # Nor can alice's version be reached through someone else's moment.
    assert client_for(bob).get(f"/journal/{bobs.id}/versions/{version.id}/").status_code == 404


def test_the_versions_api_lists_earlier_versions_newest_first(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], cue="one")
    moment_update(actor=alice, moment=moment, cue="two")
    moment_update(actor=alice, moment=moment, cue="three")
    api = token_client(token_create(user=alice, name="t", scope="read")[1])
    data = api.get(f"/api/v1/moments/{moment.id}/versions").json()
    assert [(v["number"], v["cue"]) for v in data["items"]] == [(2, "two"), (1, "one")]
    assert data["items"][0]["theme"] is None and data["items"][0]["people"] == []
