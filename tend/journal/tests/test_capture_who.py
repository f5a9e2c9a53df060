"""Quick capture's optional "who, and which theme" row: picked in the same form, fetched apart."""

from __future__ import annotations

from typing import Any

import pytest

from tend.conftest import client_for
from tend.journal.models import Moment, Theme
from tend.journal.people import person_add

pytestmark = pytest.mark.django_db

CANARY = "CANARY-capture-who-9d2"


def test_the_capture_page_itself_names_nobody_so_the_device_may_keep_it(alice: Any) -> None:
    person_add(owner=alice, label=CANARY)
    Theme.objects.create(owner=alice, name=CANARY + " theme")
    page = client_for(alice).get("/journal/new/").content.decode()
    assert CANARY not in page
    # The row is asked for by the page, from a URL the service worker never keeps.
    assert 'data-capture-who="/journal/new/who/"' in page


def test_the_row_offers_ones_own_people_and_themes_that_take_moments(alice: Any, bob: Any) -> None:
    person_add(owner=alice, label="Sam")
    person_add(owner=bob, label="Bob's friend")
    Theme.objects.create(owner=alice, name="phone at dinner")
    Theme.objects.create(owner=alice, name="an old theme", archived=True)
    row = client_for(alice).get("/journal/new/who/").content.decode()
    assert "Who, and which theme? (optional)" in row
    assert "Sam" in row and "phone at dinner" in row
    assert "Bob's friend" not in row and "an old theme" not in row
    # Collapsed: it adds nothing to the three-tap path.
    assert '<details class="details capture-who">' in row


def test_with_no_people_and_no_themes_there_is_no_row(alice: Any) -> None:
    response = client_for(alice).get("/journal/new/who/")
    assert response.status_code == 200 and response.content == b""


def test_a_quick_capture_names_people_and_files_under_a_theme(alice: Any) -> None:
    sam, _ = person_add(owner=alice, label="Sam")
    robin, _ = person_add(owner=alice, label="Robin")
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    response = client_for(alice).post(
        "/journal/new/",
        {"kind": "activation", "states": ["fight"], "people": [str(robin.id)], "theme": theme.id},
    )
    moment = Moment.objects.get(author=alice)
    assert response.status_code == 302 and response["Location"] == f"/journal/{moment.id}/"
    assert [p.id for p in moment.people.all()] == [robin.id]
    assert moment.theme_id == theme.id
    assert sam.id not in [p.id for p in moment.people.all()]


def test_someone_elses_person_or_theme_is_refused_with_the_row_open_and_the_rest_kept(
    alice: Any, bob: Any
) -> None:
    person_add(owner=alice, label="Sam")
    kim, _ = person_add(owner=bob, label=CANARY)
    bobs_theme = Theme.objects.create(owner=bob, name=CANARY + " theme")
    response = client_for(alice).post(
        "/journal/new/",
        {
            "kind": "activation",
            "states": ["freeze"],
            "cue": "kept words",
            "people": [str(kim.id)],
            "theme": str(bobs_theme.id),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose from the people shown." in page
    assert "Choose one of your own themes." in page
    assert '<details class="details capture-who" open>' in page
    assert "kept words" in page
    assert CANARY not in page
    assert not Moment.objects.exists()
