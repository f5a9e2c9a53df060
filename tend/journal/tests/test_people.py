"""People labels: private to their owner, named on moments only by their owner, in the vault."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from tend.api.services import token_create
from tend.api.tests.conftest import token_client
from tend.conftest import client_for
from tend.journal.models import Moment, Person
from tend.journal.people import person_add, person_delete, person_for, person_rename
from tend.journal.services import moment_log, moment_update

pytestmark = pytest.mark.django_db

CANARY = "CANARY-person-5be1"
URL = "/api/v1/people"


def api_for(user: Any) -> Any:
    return token_client(token_create(user=user, name="test", scope="write")[1])


def send(client: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_a_persons_label_is_encrypted_at_rest(alice: Any) -> None:
    person, created = person_add(owner=alice, label=CANARY)
    assert created
    with connection.cursor() as cursor:
        cursor.execute("SELECT label FROM journal_person")
        (stored,) = cursor.fetchone()
    assert CANARY.encode() not in bytes(stored)
    assert Person.objects.get(id=person.id).label == CANARY


def test_adding_the_same_label_again_finds_the_first_person(alice: Any) -> None:
    first, _ = person_add(owner=alice, label="Sam")
    again, created = person_add(owner=alice, label=" sam ")
    assert again.id == first.id and not created


def test_renaming_to_anothers_label_says_what_to_fix(alice: Any) -> None:
    person_add(owner=alice, label="Sam")
    robin, _ = person_add(owner=alice, label="Robin")
    with pytest.raises(ValidationError) as excinfo:
        person_rename(actor=alice, person=robin, label="SAM")
    assert excinfo.value.message_dict["label"] == ["You already have someone with this name."]


def test_nobody_else_reaches_alices_people(alice: Any, bob: Any) -> None:
    person, _ = person_add(owner=alice, label=CANARY)
    with pytest.raises(Http404):
        person_for(owner=bob, id=person.id)
    with pytest.raises(Http404):
        person_rename(actor=bob, person=person, label="mine now")
    with pytest.raises(Http404):
        person_delete(actor=bob, person=person)
    assert Person.objects.get(id=person.id).label == CANARY


def test_a_moment_names_its_authors_people_and_nobody_elses(alice: Any, bob: Any) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    bobs_friend, _ = person_add(owner=bob, label="Kim")
    moment, _ = moment_log(author=alice, states=["fight"], people=[str(sam.id)])
    assert list(moment.people.all()) == [sam]
    with pytest.raises(ValidationError) as excinfo:
        moment_log(author=alice, states=["fight"], people=[str(bobs_friend.id)])
    assert excinfo.value.message_dict["people"] == ["Choose people from your own list."]
    with pytest.raises(ValidationError):
        moment_update(actor=alice, moment=moment, people=[bobs_friend.id])
    assert list(Moment.objects.get(id=moment.id).people.all()) == [sam]


def test_forgetting_someone_leaves_the_moments_that_named_them(alice: Any) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    moment, _ = moment_log(author=alice, states=["fight"], people=[sam.id])
    person_delete(actor=alice, person=sam)
    kept = Moment.objects.get(id=moment.id)
    assert list(kept.people.all()) == []


# ---- API ------------------------------------------------------------------------------------


def test_the_people_api_lists_adds_renames_and_forgets(alice: Any) -> None:
    client = api_for(alice)
    added = send(client, "post", URL, {"label": "Sam"})
    assert added.status_code == 201, added.content
    person_id = added.json()["id"]
    assert send(client, "post", URL, {"label": "Sam"}).status_code == 200
    renamed = send(client, "patch", f"{URL}/{person_id}", {"label": "Samira"})
    assert renamed.json()["label"] == "Samira"
    listing = client.get(URL).json()
    assert [p["label"] for p in listing["items"]] == ["Samira"] and listing["next_cursor"] is None
    assert client.delete(f"{URL}/{person_id}").status_code == 204
    assert client.get(URL).json()["items"] == []


def test_the_people_list_is_paged_with_cursors(alice: Any) -> None:
    for label in ("A", "B", "C"):
        person_add(owner=alice, label=label)
    client = api_for(alice)
    first = client.get(URL, {"limit": 2}).json()
    rest = client.get(URL, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [p["label"] for p in first["items"] + rest["items"]] == ["A", "B", "C"]
    assert rest["next_cursor"] is None


def test_others_get_404_for_alices_person_and_never_see_the_label(
    alice: Any, bob: Any, mallory: Any
) -> None:
    person, _ = person_add(owner=alice, label=CANARY)
    for stranger in (bob, mallory):
        client = api_for(stranger)
        for response in (
            client.get(f"{URL}/{person.id}"),
            send(client, "patch", f"{URL}/{person.id}", {"label": "x"}),
            client.delete(f"{URL}/{person.id}"),
            client.get(URL),
        ):
            assert response.status_code in (200, 404)
            assert CANARY not in response.content.decode()
        assert client.get(f"{URL}/{person.id}").status_code == 404
    assert Person.objects.get(id=person.id).label == CANARY


def test_a_moment_naming_someone_elses_person_is_a_422(alice: Any, bob: Any) -> None:
    bobs, _ = person_add(owner=bob, label="Kim")
    response = send(
        api_for(alice), "post", "/api/v1/moments", {"states": ["fight"], "people": [str(bobs.id)]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"].endswith("people")
    assert not Moment.objects.filter(author=alice).exists()


def test_moments_in_the_api_carry_their_people(alice: Any) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    client = api_for(alice)
    created = send(
        client, "post", "/api/v1/moments", {"states": ["fight"], "people": [str(sam.id)]}
    )
    assert created.status_code == 201 and created.json()["people"] == [str(sam.id)]
    moment_id = created.json()["id"]
    cleared = send(client, "patch", f"/api/v1/moments/{moment_id}", {"people": []})
    assert cleared.json()["people"] == [] and cleared.json()["edited"] is True


# ---- Pages ----------------------------------------------------------------------------------


def test_the_edit_form_offers_only_ones_own_people_and_adds_someone_inline(
    alice: Any, bob: Any
) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    person_add(owner=bob, label="Bobs-friend-Kim")
    moment, _ = moment_log(author=alice, states=["fight"])
    client = client_for(alice)
    page = client.get(f"/journal/{moment.id}/edit/").content.decode()
    assert "Sam" in page and "Bobs-friend-Kim" not in page
    response = client.post(
        f"/journal/{moment.id}/edit/",
        {"kind": "activation", "states": ["fight"], "people": [str(sam.id)], "new_person": "Robin"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    labels = sorted(p.label for p in Moment.objects.get(id=moment.id).people.all())
    assert labels == ["Robin", "Sam"]
    detail = client.get(f"/journal/{moment.id}/").content.decode()
    assert "Robin" in detail and "Sam" in detail


def test_choosing_someone_elses_person_on_the_form_says_what_to_fix(alice: Any, bob: Any) -> None:
    bobs, _ = person_add(owner=bob, label="Kim")
    moment, _ = moment_log(author=alice, states=["fight"])
    response = client_for(alice).post(
        f"/journal/{moment.id}/edit/",
        {"kind": "activation", "states": ["fight"], "people": [str(bobs.id)]},
    )
    assert response.status_code == 400
    assert "Choose from the people shown." in response.content.decode()
    assert not Moment.objects.get(id=moment.id).people.exists()
