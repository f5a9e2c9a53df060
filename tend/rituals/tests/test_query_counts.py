"""Lists of rituals and check-ins cost a fixed number of queries, however many there are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.tests.factories import connect
from tend.rituals.models import Ritual
from tend.rituals.schedule import occurrences
from tend.rituals.services import (
    checkin_answer,
    checkin_start,
    feed_create,
    occurrence_mark,
    ritual_create,
)

CANARY = "CANARY-ritual-count-41b9"


@pytest.fixture
def together(alice: User, bob: User) -> Any:
    return connect(alice, bob)


def _add_ritual(alice: User, together: Any, n: int) -> Ritual:
    """A ritual with marks: alternately kept together and at each one's local time."""
    ritual = ritual_create(
        actor=alice,
        connection=together,
        kind="checkin",
        words=CANARY,
        rrule="FREQ=WEEKLY;BYDAY=SU",
        start_date=dt.date(2026, 1, 4),
        start_time=dt.time(19),
        basis=Ritual.Basis.EACH_LOCAL if n % 2 else Ritual.Basis.TOGETHER,
    )
    now = timezone.now()
    past = occurrences(
        ritual,
        start=now - dt.timedelta(weeks=4),
        end=now,
        participant_tz=alice.time_zone,
        participant_id=alice.id,
    )
    occurrence_mark(actor=alice, ritual=ritual, original=past[-1].original, state="done")
    upcoming = occurrences(
        ritual,
        start=now,
        end=now + dt.timedelta(weeks=4),
        participant_tz=alice.time_zone,
        participant_id=alice.id,
    )
    occurrence_mark(actor=alice, ritual=ritual, original=upcoming[0].original, state="skipped")
    occurrence_mark(
        actor=alice,
        ritual=ritual,
        original=upcoming[1].original,
        state="moved",
        moved_to=upcoming[1].original + dt.timedelta(hours=2),
    )
    return ritual


def _add_checkin(alice: User, bob: User, together: Any, n: int) -> None:
    """A check-in alice answered with an action item; every other one bob answered too."""
    checkin = checkin_start(actor=alice, connection=together)
    checkin_answer(
        actor=alice,
        checkin=checkin,
        answers={"appreciations": CANARY},
        action_items=[f"{CANARY} item {n}"],
    )
    if n % 2 == 0:
        checkin_answer(actor=bob, checkin=checkin, answers={"went_well": "yes"}, action_items=[])


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_rituals_page_costs_the_same_queries_for_one_ritual_as_for_five(
    alice: User, together: Any
) -> None:
    _add_ritual(alice, together, 0)
    client = client_for(alice)
    client.get("/rituals/")  # Sessions and caches warm up once.
    one = _queries(client, "/rituals/")
    for n in range(1, 5):
        _add_ritual(alice, together, n)
    five = _queries(client, "/rituals/")
    assert one == five, f"{one} queries for one ritual, {five} for five"


def test_the_calendar_feed_costs_the_same_queries_for_one_ritual_as_for_five(
    alice: User, together: Any
) -> None:
    _add_ritual(alice, together, 0)
    url = f"/rituals/calendar/{feed_create(actor=alice)}.ics"
    client = Client()
    client.get(url)
    one = _queries(client, url)
    for n in range(1, 5):
        _add_ritual(alice, together, n)
    five = _queries(client, url)
    assert one == five, f"{one} queries for one ritual, {five} for five"


def test_the_check_ins_api_costs_the_same_queries_for_one_check_in_as_for_five(
    alice: User, bob: User, together: Any
) -> None:
    _add_checkin(alice, bob, together, 0)
    url = "/api/v1/rituals/checkins"
    client = client_for(bob)
    client.get(url)
    one = _queries(client, url)
    for n in range(1, 5):
        _add_checkin(alice, bob, together, n)
    five = _queries(client, url)
    assert one == five, f"{one} queries for one check-in, {five} for five"


def test_the_rituals_page_still_shows_marks_rhythm_and_words(
    alice: User, bob: User, together: Any
) -> None:
    for n in range(2):
        _add_ritual(alice, together, n)
    for person in (alice, bob):
        page = client_for(person).get("/rituals/").content.decode()
        assert page.count(CANARY) == 2
        # Alice marked one occurrence of each done; the rhythm counts marks by anyone.
        assert page.count("You came together for this once in the last 8 weeks.") == 2


def test_the_feed_still_skips_and_moves_only_the_feed_owners_occurrences(
    alice: User, bob: User, together: Any
) -> None:
    for n in range(2):
        _add_ritual(alice, together, n)
    mine = Client().get(f"/rituals/calendar/{feed_create(actor=alice)}.ics").content.decode()
    assert mine.count("BEGIN:VEVENT") == 4  # two rituals and one moved occurrence of each
    assert mine.count("EXDATE") == 2
    # Bob's feed: the ritual kept together carries alice's marks; the one kept at each one's
    # local time does not, since those were alice's occurrences.
    his = Client().get(f"/rituals/calendar/{feed_create(actor=bob)}.ics").content.decode()
    assert his.count("BEGIN:VEVENT") == 3
    assert his.count("EXDATE") == 1
    assert CANARY not in mine + his


def test_the_check_ins_api_still_hides_unrevealed_answers_and_items(
    alice: User, bob: User, together: Any
) -> None:
    for n in range(2):
        _add_checkin(alice, bob, together, n)
    items = client_for(bob).get("/api/v1/rituals/checkins").json()["items"]
    # Newest first: n=1 (only alice answered) then n=0 (both answered, revealed).
    assert [len(i["answers"]) for i in items] == [0, 2]
    # The open items of the connection: alice's revealed one only, in both check-ins.
    for item in items:
        assert [a["text"] for a in item["open_action_items"]] == [f"{CANARY} item 0"]
    mine = client_for(alice).get("/api/v1/rituals/checkins").json()["items"]
    assert [len(i["answers"]) for i in mine] == [1, 2]
    for item in mine:
        assert [a["text"] for a in item["open_action_items"]] == [
            f"{CANARY} item 0",
            f"{CANARY} item 1",
        ]


def _mark_more(alice: User, ritual: Ritual, count: int) -> None:
    """Mark ``count`` more of the ritual's occurrences, past ones done and later ones skipped."""
    now = timezone.now()
    window = occurrences(
        ritual,
        start=now - dt.timedelta(weeks=4),
        end=now + dt.timedelta(weeks=8),
        participant_tz=alice.time_zone,
        participant_id=alice.id,
    )
    for o in [o for o in window if o.state == ""][:count]:
        state = "done" if o.start < now else "skipped"
        occurrence_mark(actor=alice, ritual=ritual, original=o.original, state=state)


def test_a_ritual_page_costs_what_one_row_of_the_rituals_page_costs_however_many_marks(
    alice: User, together: Any
) -> None:
    ritual = ritual_create(
        actor=alice,
        connection=together,
        kind="checkin",
        words=CANARY,
        rrule="FREQ=WEEKLY;BYDAY=SU",
        start_date=dt.date(2026, 1, 4),
        start_time=dt.time(19),
    )
    _mark_more(alice, ritual, 1)
    client = client_for(alice)
    url = f"/rituals/{ritual.id}/"
    client.get(url)  # Sessions and caches warm up once.
    one = _queries(client, url)
    index = _queries(client, "/rituals/")
    _mark_more(alice, ritual, 5)
    five = _queries(client, url)
    assert one == five, f"{one} queries with one mark, {five} with five"
    # The page loads the ritual, its marks and its rhythm as the list does, and reads no more.
    assert one == index, f"{one} queries for a ritual's page, {index} for the list of one"
