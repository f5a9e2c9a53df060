"""Timeline filters and search, on hand-built moments with known answers."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from tend.api.services import token_create
from tend.api.tests.conftest import token_client
from tend.conftest import client_for
from tend.journal.filters import MomentFilter, MomentFilterForm, moments_filtered, moments_search
from tend.journal.people import person_add
from tend.journal.services import moment_log

pytestmark = pytest.mark.django_db

AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in November


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A time on 2026-11-<day> in Auckland."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=AUCKLAND)


@pytest.fixture
def journal(alice: Any, bob: Any) -> dict[str, Any]:
    alice.time_zone = "Pacific/Auckland"
    alice.save()
    sam, _ = person_add(owner=alice, label="Sam")
    robin, _ = person_add(owner=alice, label="Robin")
    moments = {
        # 00:30 on the 10th in Auckland is still the 9th in UTC: the day is Auckland's.
        "early": moment_log(
            author=alice,
            occurred_at=at(10, 0, 30),
            states=["fight"],
            cue="Phone at DINNER",
            intensity=8,
            contexts=["at_home"],
            people=[sam.id],
        )[0],
        "late": moment_log(
            author=alice,
            occurred_at=at(10, 23, 50),
            states=["flight", "freeze"],
            cue="a quiet evening",
            story="the dinner plans changed",
            intensity=4,
            contexts=["apart"],
            people=[sam.id, robin.id],
        )[0],
        "glimmer": moment_log(
            author=alice,
            kind="glimmer",
            occurred_at=at(11, 9),
            states=["connected"],
            cue="morning tea together",
            intensity=2,
            contexts=["together"],
        )[0],
        "before": moment_log(
            author=alice,
            occurred_at=at(9, 23, 59),
            states=["fight"],
            cue="dinner again",
            intensity=6,
        )[0],
    }
    moment_log(author=bob, states=["fight"], cue="bob's dinner", intensity=8)
    return {"moments": moments, "sam": sam, "robin": robin}


def names(journal: dict[str, Any], moments: Any) -> set[str]:
    by_id = {m.id: name for name, m in journal["moments"].items()}
    return {by_id[m.id] for m in moments}


def test_dates_are_whole_days_in_the_persons_time_zone(alice: Any, journal: Any) -> None:
    tenth = dt.date(2026, 11, 10)
    found = moments_filtered(viewer=alice, filters=MomentFilter(date_from=tenth, date_to=tenth))
    assert names(journal, found) == {"early", "late"}
    from_eleventh = MomentFilter(date_from=dt.date(2026, 11, 11))
    assert names(journal, moments_filtered(viewer=alice, filters=from_eleventh)) == {"glimmer"}
    up_to_ninth = MomentFilter(date_to=dt.date(2026, 11, 9))
    assert names(journal, moments_filtered(viewer=alice, filters=up_to_ninth)) == {"before"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (MomentFilter(kind="glimmer"), {"glimmer"}),
        (MomentFilter(kind="activation"), {"early", "late", "before"}),
        (MomentFilter(state="freeze"), {"late"}),
        (MomentFilter(state="fight"), {"early", "before"}),
        (MomentFilter(context="apart"), {"late"}),
        (MomentFilter(intensity_min=6), {"early", "before"}),
        (MomentFilter(intensity_max=4), {"late", "glimmer"}),
        (MomentFilter(intensity_min=4, intensity_max=6), {"late", "before"}),
        (MomentFilter(kind="activation", intensity_min=7), {"early"}),
    ],
)
def test_each_filter_finds_exactly_its_moments(
    alice: Any, journal: Any, filters: MomentFilter, expected: set[str]
) -> None:
    assert names(journal, moments_filtered(viewer=alice, filters=filters)) == expected


def test_filtering_by_person_finds_the_moments_that_name_them(alice: Any, journal: Any) -> None:
    by_sam = moments_filtered(viewer=alice, filters=MomentFilter(person=journal["sam"].id))
    assert names(journal, by_sam) == {"early", "late"}
    by_robin = moments_filtered(viewer=alice, filters=MomentFilter(person=journal["robin"].id))
    assert names(journal, by_robin) == {"late"}


def test_search_finds_own_words_in_any_field_and_any_case(alice: Any, journal: Any) -> None:
    found = moments_search(viewer=alice, filters=MomentFilter(q="dinner"))
    assert names(journal, found.moments) == {"early", "late", "before"}
    assert not found.limited
    narrowed = moments_search(viewer=alice, filters=MomentFilter(q="DINNER", intensity_min=7))
    assert names(journal, narrowed.moments) == {"early"}


def test_search_never_finds_another_persons_words(alice: Any, bob: Any, journal: Any) -> None:
    assert list(moments_search(viewer=bob, filters=MomentFilter(q="tea")).moments) == []
    bobs = moments_search(viewer=bob, filters=MomentFilter(q="dinner")).moments
    assert [m.cue for m in bobs] == ["bob's dinner"]


def test_search_says_when_it_stopped_at_the_scan_limit(alice: Any, journal: Any) -> None:
    found = moments_search(viewer=alice, filters=MomentFilter(q="dinner"), scan_limit=2)
    # Only the two most recent (glimmer, late) were searched.
    assert found.limited and names(journal, found.moments) == {"late"}


def test_the_form_reads_from_and_to_and_refuses_a_backwards_range(alice: Any, journal: Any) -> None:
    form = MomentFilterForm(
        QueryDict("from=2026-11-10&to=2026-11-09&intensity_min=7&intensity_max=3"), viewer=alice
    )
    assert not form.is_valid()
    assert set(form.errors) == {"to", "intensity_max"}
    assert form.to_filter() == MomentFilter(date_from=dt.date(2026, 11, 10), intensity_min=7)


def test_the_timeline_filters_searches_and_counts(alice: Any, journal: Any) -> None:
    client = client_for(alice)
    page = client.get("/journal/", {"q": "dinner", "person": str(journal["sam"].id)})
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 moments" in text and "Phone at DINNER" in text and "a quiet evening" in text
    assert "dinner again" not in text and "Clear filters" in text
    empty = client.get("/journal/", {"q": "nothing like this"}).content.decode()
    assert "No moments fit these filters." in empty


def test_the_timeline_refuses_someone_elses_person_as_a_filter(bob: Any, journal: Any) -> None:
    page = client_for(bob).get("/journal/", {"person": str(journal["sam"].id)})
    text = page.content.decode()
    assert "Choose from the list shown." in text and "Sam" not in text


def test_the_api_lists_with_the_same_filters_and_search(alice: Any, journal: Any) -> None:
    api = token_client(token_create(user=alice, name="t", scope="read")[1])
    data = api.get(
        "/api/v1/moments", {"from": "2026-11-10", "to": "2026-11-10", "q": "dinner"}
    ).json()
    assert {m["cue"] for m in data["items"]} == {"Phone at DINNER", "a quiet evening"}
    by_sam = api.get("/api/v1/moments", {"person": str(journal["sam"].id), "state": "freeze"})
    assert [m["cue"] for m in by_sam.json()["items"]] == ["a quiet evening"]


def test_the_api_refuses_someone_elses_person_with_a_422(bob: Any, journal: Any) -> None:
    api = token_client(token_create(user=bob, name="t", scope="read")[1])
    response = api.get("/api/v1/moments", {"person": str(journal["sam"].id)})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "query.person"
    backwards = api.get("/api/v1/moments", {"from": "2026-11-10", "to": "2026-11-09"})
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["location"] == "query.to"
