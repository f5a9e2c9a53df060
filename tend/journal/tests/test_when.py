"""'When did it happen?': quick picks and typed local times, in the person's own time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from tend.conftest import client_for
from tend.journal import when
from tend.journal.models import Moment
from tend.journal.services import moment_log

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
UTC = dt.UTC


def at(tz: dt.tzinfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz)  # type: ignore[misc]


def edit(user: Any, moment: Moment, **data: str) -> Any:
    return client_for(user).post(
        f"/journal/{moment.id}/edit/", {"kind": "activation", "states": ["fight"], **data}
    )


@pytest.fixture
def alice_in(alice: Any) -> Any:
    def move(zone: str) -> Any:
        alice.time_zone = zone
        alice.save(update_fields=["time_zone"])
        return alice

    return move


def test_this_morning_is_offered_only_once_it_is_past_nine_where_the_person_is() -> None:
    # 08:30 in Berlin is 23:30 the evening before in Los Angeles, long past nine there.
    now = at(UTC, 2026, 5, 4, 6, 30)
    berlin = {p.code: p.at for p in when.picks(now=now, tz=BERLIN, current=None)}
    los_angeles = {p.code: p.at for p in when.picks(now=now, tz=LOS_ANGELES, current=None)}
    assert "morning" not in berlin and "keep" not in berlin
    assert los_angeles["morning"] == at(LOS_ANGELES, 2026, 5, 3, 9, 0)
    assert berlin["evening"] == at(BERLIN, 2026, 5, 3, 20, 0)
    assert los_angeles["evening"] == at(LOS_ANGELES, 2026, 5, 2, 20, 0)
    assert berlin["minutes"] == now - dt.timedelta(minutes=10)
    assert list(berlin)[-1] == "other"


def test_yesterday_evening_is_twenty_hundred_local_across_the_spring_change() -> None:
    # Berlin moved to summer time overnight: yesterday 20:00 was still UTC+1.
    now = at(BERLIN, 2026, 3, 29, 10, 0)
    evening = when.pick_time("evening", now=now, tz=BERLIN)
    assert evening is not None and evening.astimezone(UTC) == at(UTC, 2026, 3, 28, 19, 0)
    morning = when.pick_time("morning", now=now, tz=BERLIN)
    assert morning is not None and morning.astimezone(UTC) == at(UTC, 2026, 3, 29, 7, 0)


@pytest.mark.parametrize(
    ("zone", "pick", "expected_utc"),
    [
        ("Europe/Berlin", "minutes", at(UTC, 2026, 6, 10, 17, 50)),
        ("Europe/Berlin", "morning", at(UTC, 2026, 6, 10, 7, 0)),
        ("America/Los_Angeles", "morning", at(UTC, 2026, 6, 10, 16, 0)),
        ("America/Los_Angeles", "evening", at(UTC, 2026, 6, 10, 3, 0)),
        ("Asia/Tokyo", "now", at(UTC, 2026, 6, 10, 18, 0)),
    ],
)
def test_a_quick_pick_sets_the_time_in_the_persons_own_zone(
    alice_in: Any, zone: str, pick: str, expected_utc: dt.datetime
) -> None:
    person = alice_in(zone)
    with time_machine.travel(at(UTC, 2026, 6, 10, 16, 30), tick=False):
        moment, _ = moment_log(author=person, states=["fight"])
    with time_machine.travel(at(UTC, 2026, 6, 10, 18, 0), tick=False):
        response = edit(person, moment, **{"occurred_at-pick": pick})
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.occurred_at == expected_utc


def test_keeping_the_saved_time_changes_nothing(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    saved = moment.occurred_at
    page = client_for(alice).get(f"/journal/{moment.id}/edit/").content.decode()
    assert 'value="keep" id="id_occurred_at_pick_keep" checked' in page
    shown = when.as_input(saved.astimezone(alice.tz))
    response = edit(alice, moment, **{"occurred_at-pick": "keep", "occurred_at": shown})
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.occurred_at == saved and not moment.edited


def test_another_time_is_read_in_the_persons_zone(alice_in: Any) -> None:
    person = alice_in("America/Los_Angeles")
    moment, _ = moment_log(author=person, states=["fight"])
    response = edit(
        person, moment, **{"occurred_at-pick": "other", "occurred_at": "2026-01-15T21:45"}
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.occurred_at == at(UTC, 2026, 1, 16, 5, 45)


def test_typing_a_time_without_choosing_a_pick_counts_as_another_time(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    assert edit(alice, moment, occurred_at="2026-02-01T07:05").status_code == 302
    moment.refresh_from_db()
    assert moment.occurred_at == at(BERLIN, 2026, 2, 1, 7, 5)


def test_a_time_the_clocks_skipped_is_explained_and_nothing_changes(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], helped="breathing")
    saved = moment.occurred_at
    response = edit(
        alice,
        moment,
        helped="kept while fixing",
        **{"occurred_at-pick": "other", "occurred_at": "2026-03-29T02:30"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "That time did not exist in Europe/Berlin: the clocks went forward then." in content
    assert 'value="2026-03-29T02:30"' in content and "kept while fixing" in content
    assert 'value="other" id="id_occurred_at_pick_other" checked' in content
    moment.refresh_from_db()
    assert moment.occurred_at == saved and moment.helped == "breathing"


def test_a_time_that_happened_twice_is_read_as_the_first(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    response = edit(
        alice, moment, **{"occurred_at-pick": "other", "occurred_at": "2026-10-25T02:30"}
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.occurred_at == at(UTC, 2026, 10, 25, 0, 30)  # still summer time, UTC+2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"occurred_at-pick": "other", "occurred_at": ""}, "Give the date and time it happened."),
        ({"occurred_at-pick": "other", "occurred_at": "soon"}, "Give a date and a time, such as"),
        ({"occurred_at-pick": "tomorrow"}, "Choose one of the times offered."),
        (
            {"occurred_at-pick": "other", "occurred_at": "2099-01-01T10:00"},
            "Choose a time that has already happened.",
        ),
    ],
)
def test_a_time_that_cannot_be_used_says_what_to_fix(
    alice: Any, data: dict[str, str], message: str
) -> None:
    moment, _ = moment_log(author=alice, states=["fight"])
    response = edit(alice, moment, **data)
    assert response.status_code == 400
    assert message in response.content.decode()


ZONES = st.sampled_from(
    ["Europe/Berlin", "America/Los_Angeles", "Australia/Lord_Howe", "America/Sao_Paulo", "UTC"]
)


@settings(max_examples=300, deadline=None)
@given(
    zone=ZONES,
    # Wall-clock times on purpose: the zone is what the test varies.
    naive=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2040, 1, 1),  # noqa: DTZ001
    ),
)
def test_a_wall_clock_time_is_placed_exactly_or_refused_as_skipped(
    zone: str, naive: dt.datetime
) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    try:
        aware = when.to_aware(naive, tz)
    except when.NonexistentTime:
        # Skipped: the instants either side of it are further apart in UTC than on the clock.
        before = naive.replace(tzinfo=tz, fold=0).utcoffset()
        after = naive.replace(tzinfo=tz, fold=1).utcoffset()
        assert before != after
        return
    assert aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive
    # Of two instants with this wall time, the earlier one.
    other = naive.replace(tzinfo=tz, fold=1)
    assert aware.astimezone(UTC) <= other.astimezone(UTC)
