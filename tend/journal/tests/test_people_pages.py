"""The people page: list, add, rename and remove the private labels for people in one's life."""

from __future__ import annotations

from typing import Any

import pytest

from tend.conftest import client_for
from tend.journal.models import Moment, Person
from tend.journal.people import person_add
from tend.journal.services import moment_delete, moment_log

pytestmark = pytest.mark.django_db

URL = "/journal/people/"


def test_the_empty_page_explains_what_people_are_for(alice: Any) -> None:
    response = client_for(alice).get(URL)
    assert response.status_code == 200
    assert "No one here yet" in response.content.decode()
    assert "They are not told" in response.content.decode()


def test_adding_someone_lists_them_with_how_many_moments_name_them(alice: Any) -> None:
    client = client_for(alice)
    response = client.post(URL, {"label": "Sam"})
    assert response.status_code == 302 and response["Location"] == URL
    sam = Person.objects.get(owner=alice)
    assert sam.label == "Sam"
    moment_log(author=alice, states=["fight"], people=[str(sam.id)])
    deleted, _ = moment_log(author=alice, states=["flight"], people=[str(sam.id)])
    moment_delete(actor=alice, moment=deleted)
    page = client.get(URL).content.decode()
    assert "Sam" in page
    # A deleted moment (waiting for its undo to run out) is not counted.
    assert "Named on 1 moment" in page
    assert "No one here yet" not in page


def test_adding_the_same_name_twice_keeps_one_and_says_so(alice: Any) -> None:
    client = client_for(alice)
    client.post(URL, {"label": "Sam"})
    response = client.post(URL, {"label": " sam "}, follow=True)
    assert "They are on your list already." in response.content.decode()
    assert Person.objects.filter(owner=alice).count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Write a name, a nickname or an initial."),
        ("   ", "Write a few words."),
        ("x" * 61, "Keep this under 60 characters."),
        ("Sam\x07", "Remove the invisible control characters."),
    ],
)
def test_a_name_that_cannot_be_kept_says_what_to_fix_and_keeps_what_was_typed(
    alice: Any, typed: str, message: str
) -> None:
    response = client_for(alice).post(URL, {"label": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    if typed.strip() and "\x07" not in typed:
        assert f'value="{typed}"' in page
    assert not Person.objects.filter(owner=alice).exists()


def test_renaming_shows_the_new_name_on_moments(alice: Any) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    moment, _ = moment_log(author=alice, states=["fight"], people=[str(sam.id)])
    client = client_for(alice)
    response = client.post(f"{URL}{sam.id}/rename/", {"label": "Samira"})
    assert response.status_code == 302
    assert Person.objects.get(id=sam.id).label == "Samira"
    assert "Samira" in client.get(f"/journal/{moment.id}/").content.decode()


def test_a_refused_rename_opens_that_row_again_with_the_typed_name_and_why(alice: Any) -> None:
    person_add(owner=alice, label="Sam")
    robin, _ = person_add(owner=alice, label="Robin")
    response = client_for(alice).post(f"{URL}{robin.id}/rename/", {"label": "SAM"})
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(f'id="person-{robin.id}"') :]
    row = row[: row.index("</details>")]
    assert '<details class="details person-rename" open>' in row
    assert "You already have someone with this name." in row
    assert 'value="SAM"' in row
    assert Person.objects.get(id=robin.id).label == "Robin"


def test_removing_asks_first_and_says_what_happens_to_the_moments(alice: Any) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    for states in (["fight"], ["freeze"]):
        moment_log(author=alice, states=states, cue="dinner", people=[str(sam.id)])
    client = client_for(alice)
    page = client.get(f"{URL}{sam.id}/delete/").content.decode()
    assert "Remove Sam from your list?" in page
    assert "The 2 moments that name them stay in your journal" in page
    assert Person.objects.filter(id=sam.id).exists()

    response = client.post(f"{URL}{sam.id}/delete/")
    assert response.status_code == 302 and response["Location"] == URL
    assert not Person.objects.filter(id=sam.id).exists()
    moments = Moment.objects.filter(author=alice)
    assert moments.count() == 2
    assert all(m.cue == "dinner" and not m.people.exists() for m in moments)


def test_removing_someone_no_moment_names_says_the_journal_stays_as_it_is(alice: Any) -> None:
    kim, _ = person_add(owner=alice, label="Kim")
    client = client_for(alice)
    assert "Not on any moment yet" in client.get(URL).content.decode()
    page = client.get(f"{URL}{kim.id}/delete/").content.decode()
    assert "No moment names them" in page


def test_nobody_else_can_see_rename_or_remove_alices_people(alice: Any, bob: Any) -> None:
    sam, _ = person_add(owner=alice, label="CANARY-people-page-31c")
    client = client_for(bob)
    assert "CANARY-people-page-31c" not in client.get(URL).content.decode()
    assert client.get(f"{URL}{sam.id}/delete/").status_code == 404
    assert client.post(f"{URL}{sam.id}/delete/").status_code == 404
    assert client.post(f"{URL}{sam.id}/rename/", {"label": "mine"}).status_code == 404
    assert Person.objects.get(id=sam.id).label == "CANARY-people-page-31c"


def test_the_journal_and_the_people_picker_lead_to_the_people_page(alice: Any) -> None:
    client = client_for(alice)
    assert f'href="{URL}"' in client.get("/journal/").content.decode()
    moment, _ = moment_log(author=alice, states=["fight"])
    assert f'href="{URL}"' in client.get(f"/journal/{moment.id}/edit/").content.decode()


def test_people_are_listed_in_the_order_they_were_added(alice: Any) -> None:
    for label in ("Sam", "Robin", "Ezra", "Kim"):
        person_add(owner=alice, label=label)
    page = client_for(alice).get(URL).content.decode()
    added = ["Sam", "Robin", "Ezra", "Kim"]
    assert sorted(added, key=page.index) == added
