"""A person may add needs and contexts in their own words; they are theirs alone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tend.api.services import token_create
from tend.api.tests.conftest import assert_problem, token_client
from tend.conftest import client_for
from tend.core.models import AuditEvent
from tend.journal.models import Moment, VocabularyEntry
from tend.journal.services import moment_log, moment_update, vocabulary_entry_add

pytestmark = pytest.mark.django_db

CANARY = "CANARY-own-need-8a2f"


def test_my_own_need_is_valid_in_my_moments(alice: Any) -> None:
    entry, created = vocabulary_entry_add(owner=alice, kind="needs", label=CANARY)
    assert created and entry.code.startswith("own-")
    moment, _ = moment_log(author=alice, states=["fight"], needs=["left_behind", entry.code])
    assert moment.needs == ["left_behind", entry.code]
    event = AuditEvent.objects.get(action="journal.vocabulary.add")
    assert CANARY not in json.dumps(event.meta)


def test_the_same_words_again_find_the_first_entry(alice: Any) -> None:
    first, _ = vocabulary_entry_add(owner=alice, kind="contexts", label="At my sister's")
    again, created = vocabulary_entry_add(owner=alice, kind="contexts", label=" at my SISTER's ")
    assert again.id == first.id and not created
    assert VocabularyEntry.objects.count() == 1


def test_nobody_else_can_use_my_own_codes(alice: Any, bob: Any, mallory: Any) -> None:
    entry, _ = vocabulary_entry_add(owner=alice, kind="needs", label=CANARY)
    for other in (bob, mallory):
        with pytest.raises(ValidationError):
            moment_log(author=other, states=["fight"], needs=[entry.code])
    theirs, _ = moment_log(author=bob, states=["fight"])
    with pytest.raises(ValidationError):
        moment_update(actor=bob, moment=theirs, needs=[entry.code])
    # A need code is not a context code, even for its owner.
    with pytest.raises(ValidationError):
        moment_log(author=alice, states=["fight"], contexts=[entry.code])


@pytest.mark.parametrize(
    ("label", "words"),
    [("", "a few words"), ("x" * 61, "under 60"), ("tab\tbed", "control characters")],
)
def test_an_unusable_label_says_what_to_fix(alice: Any, label: str, words: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        vocabulary_entry_add(owner=alice, kind="needs", label=label)
    assert words in " ".join(excinfo.value.message_dict["label"])
    assert VocabularyEntry.objects.count() == 0


def test_my_own_words_are_encrypted_at_rest(alice: Any) -> None:
    vocabulary_entry_add(owner=alice, kind="needs", label=CANARY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT label FROM journal_vocabularyentry")
        (raw,) = cursor.fetchone()
    assert CANARY.encode() not in bytes(raw)


def test_adding_my_own_need_in_the_form_chooses_it_and_shows_it(alice: Any, bob: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    client = client_for(alice)
    response = client.post(
        f"/journal/{moment.id}/edit/",
        {"kind": "activation", "states": ["fight"], "needs": ["not_enough"], "new_need": CANARY},
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    entry = VocabularyEntry.objects.get(owner=alice)
    assert moment.needs == ["not_enough", entry.code]
    assert CANARY in client.get(f"/journal/{moment.id}/").content.decode()
    # Offered as a chip next time.
    assert f'value="{entry.code}"' in client.get(f"/journal/{moment.id}/edit/").content.decode()
    # Bob's form never offers it.
    bobs, _ = moment_log(author=bob, states=["fight"])
    assert CANARY not in client_for(bob).get(f"/journal/{bobs.id}/edit/").content.decode()


def test_a_failed_save_keeps_no_half_made_entry(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    response = client_for(alice).post(
        f"/journal/{moment.id}/edit/",
        {"kind": "activation", "states": [], "cue": "", "new_context": "In the car"},
    )
    assert response.status_code == 400
    assert VocabularyEntry.objects.count() == 0
    assert "In the car" in response.content.decode()


def test_the_api_lists_and_adds_only_my_own_entries(alice: Any, bob: Any) -> None:
    alice_api = token_client(token_create(user=alice, name="t", scope="write")[1])
    bob_api = token_client(token_create(user=bob, name="t", scope="write")[1])
    body = json.dumps({"kind": "needs", "label": CANARY})
    first = alice_api.post("/api/v1/vocabulary/own", body, content_type="application/json")
    again = alice_api.post("/api/v1/vocabulary/own", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    code = first.json()["code"]
    assert alice_api.get("/api/v1/vocabulary").json()["own_needs"] == [
        {"code": code, "label": CANARY, "description": ""}
    ]
    bobs = bob_api.get("/api/v1/vocabulary")
    assert bobs.json()["own_needs"] == [] and CANARY not in bobs.content.decode()
    refused = bob_api.post(
        "/api/v1/moments",
        json.dumps({"states": ["fight"], "needs": [code]}),
        content_type="application/json",
    )
    assert_problem(refused, 422)
    assert not Moment.objects.filter(author=bob).exists()


def test_the_export_holds_my_own_words(alice: Any, bob: Any) -> None:
    from tend.accounts.export import collect_export

    vocabulary_entry_add(owner=alice, kind="contexts", label="At my sister's")
    vocabulary_entry_add(owner=bob, kind="contexts", label="Bob's place")
    exported = collect_export(user=alice)["own_vocabulary"]
    assert [(e["kind"], e["label"]) for e in exported] == [("contexts", "At my sister's")]
