"""The body map's form: what it posts becomes the moment's body, and bad input says what to fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from tend.conftest import client_for
from tend.journal import bodymap, vocabulary
from tend.journal.models import Moment
from tend.journal.services import moment_log

pytestmark = pytest.mark.django_db

REGION_CODES = [r.code for r in vocabulary.REGIONS]
SENSATION_CODES = [s.code for s in vocabulary.SENSATIONS]


def map_data(entries: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """What the edit page posts for these entries (the list's inputs, as a browser sends them)."""
    data: dict[str, Any] = {"kind": "activation", "states": ["fight"], bodymap.MARKER: "1"}
    for entry in entries:
        region = entry["region"]
        data[f"body-{region}-selected"] = "1"
        data[f"body-{region}-sensations"] = entry.get("sensations", [])
        intensity = entry.get("intensity")
        data[f"body-{region}-intensity"] = "" if intensity is None else str(intensity)
    data.update(extra)
    return data


@pytest.fixture
def moment(alice: Any) -> Moment:
    logged, _ = moment_log(author=alice, states=["fight"])
    return logged


def test_the_map_draws_every_region_on_the_sides_the_vocabulary_names() -> None:
    drawn: dict[str, set[str]] = {}
    for side, shapes in bodymap.figure().items():
        for shape in shapes:
            drawn.setdefault(shape.region, set()).add(side)
    assert len(drawn) >= 24
    assert drawn == {r.code: set(r.sides) for r in vocabulary.REGIONS}


def test_posting_the_map_gives_the_moment_its_body_and_the_page_shows_it(
    alice: Any, moment: Moment
) -> None:
    client = client_for(alice)
    data = map_data(
        [
            {"region": "upper_back", "sensations": ["heavy"]},
            {"region": "chest", "sensations": ["tight", "racing"], "intensity": 7},
        ]
    )
    response = client.post(f"/journal/{moment.id}/edit/", data)
    assert response.status_code == 302
    moment.refresh_from_db()
    # In the vocabulary's order, whatever the order posted.
    assert moment.body == [
        {"region": "chest", "sensations": ["tight", "racing"], "intensity": 7},
        {"region": "upper_back", "sensations": ["heavy"], "intensity": None},
    ]
    page = client.get(f"/journal/{moment.id}/").content.decode()
    assert "Chest: Tight, Racing (7/10)" in page
    assert "Upper back: Heavy" in page
    assert page.count('class="bm-region is-selected"') == 2
    edit = client.get(f"/journal/{moment.id}/edit/").content.decode()
    assert 'data-region="chest" role="checkbox" tabindex="0" aria-checked="true"' in edit
    assert 'data-region="throat" role="checkbox" tabindex="0" aria-checked="false"' in edit


def test_an_unknown_region_is_refused_and_everything_typed_stays(
    alice: Any, moment: Moment
) -> None:
    data = map_data(
        [
            {"region": "spleen", "sensations": ["tight"]},
            {"region": "jaw", "sensations": ["tight"], "intensity": 5},
        ],
        helped="a long walk",
    )
    response = client_for(alice).post(f"/journal/{moment.id}/edit/", data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "A region that is not on the map was sent; choose regions from the map." in content
    assert "spleen" not in content  # what was sent is never repeated back
    assert 'name="body-jaw-selected" id="id_body-jaw-selected" value="1" checked' in content
    assert 'name="body-jaw-sensations" value="tight" checked' in content
    assert "a long walk" in content
    moment.refresh_from_db()
    assert moment.body == [] and not moment.edited


@pytest.mark.parametrize(
    ("entry", "message", "kept"),
    [
        (
            {"region": "throat", "sensations": ["itchy"]},
            "Throat: choose sensations from the list.",
            'name="body-throat-selected" id="id_body-throat-selected" value="1" checked',
        ),
        (
            {"region": "gut", "sensations": ["knot"], "intensity": "eleven"},
            "Gut: give the strength as a number from 0 to 10.",
            'name="body-gut-intensity" id="id_body-gut-intensity" value="eleven"',
        ),
        (
            {"region": "gut", "sensations": [], "intensity": "11"},
            "Gut: give the strength as a number from 0 to 10.",
            'name="body-gut-intensity" id="id_body-gut-intensity" value="11"',
        ),
    ],
)
def test_a_bad_sensation_or_strength_names_the_region_to_fix(
    alice: Any, moment: Moment, entry: dict[str, Any], message: str, kept: str
) -> None:
    response = client_for(alice).post(f"/journal/{moment.id}/edit/", map_data([entry]))
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content
    assert kept in content
    moment.refresh_from_db()
    assert moment.body == []


def test_a_post_without_the_map_leaves_the_body_as_it_was(alice: Any) -> None:
    body = [{"region": "feet", "sensations": ["cold"], "intensity": 3}]
    moment, _ = moment_log(author=alice, states=["freeze"], body=body)
    response = client_for(alice).post(
        f"/journal/{moment.id}/edit/", {"kind": "activation", "states": ["freeze"]}
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.body == body and not moment.edited


def test_unticking_every_region_clears_the_body(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], body=[{"region": "jaw"}])
    response = client_for(alice).post(f"/journal/{moment.id}/edit/", map_data([]))
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.body == [] and moment.edited


def test_sensations_of_a_region_that_is_not_ticked_are_not_kept(alice: Any, moment: Moment) -> None:
    data = map_data([{"region": "chest", "sensations": ["tight"]}])
    data["body-belly-sensations"] = ["hollow"]  # chosen, then the region was unticked
    assert client_for(alice).post(f"/journal/{moment.id}/edit/", data).status_code == 302
    moment.refresh_from_db()
    assert [e["region"] for e in moment.body] == ["chest"]


def test_saving_the_same_body_again_is_not_an_edit(alice: Any) -> None:
    body = [{"region": "heart", "sensations": ["racing", "heat"], "intensity": 9}]
    moment, _ = moment_log(author=alice, states=["fight"], body=body)
    response = client_for(alice).post(f"/journal/{moment.id}/edit/", map_data(body))
    assert response.status_code == 302
    moment.refresh_from_db()
    assert not moment.edited


entries_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "region": st.sampled_from(REGION_CODES),
            "sensations": st.lists(st.sampled_from(SENSATION_CODES), unique=True, max_size=5),
            "intensity": st.none() | st.integers(min_value=0, max_value=10),
        }
    ),
    unique_by=lambda e: e["region"],
    max_size=len(REGION_CODES),
)


@settings(max_examples=60, deadline=None)
@given(entries=entries_strategy)
def test_any_body_the_vocabulary_allows_survives_the_form(entries: list[dict[str, Any]]) -> None:
    query = QueryDict(mutable=True)
    for name, value in map_data(entries).items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    field = bodymap.BodyMapField(required=False)
    cleaned = field.clean(bodymap.BodyMapWidget().value_from_datadict(query, {}, "body"))
    order = {code: i for i, code in enumerate(REGION_CODES)}
    assert cleaned == sorted(entries, key=lambda e: order[e["region"]])
    assert not field.has_changed(entries, bodymap.parse(query))
