"""Leaving a group plan: when a connection between two of its people ends, they share it no more.

alice made a plan with bob and carol, who are connected with each other too (so the old rule,
"an active connection with someone in it", kept carol reading alice's words through bob).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tend.accounts.models import User
from tend.careplans.models import CarePlan, Party, Version
from tend.careplans.services import agreement_give, careplan_create, proposal_create
from tend.conftest import client_for
from tend.connections.models import Connection
from tend.connections.services import connection_end, safety_check_run
from tend.connections.tests.factories import connect

pytestmark = pytest.mark.django_db

WORDS = {"alice": "ALICE-words-7a1c", "bob": "BOB-words-3d9e", "carol": "CAROL-words-51f0"}
SECTION = "SECTION-of-the-plan-2b8d"


@pytest.fixture
def people(alice: User, bob: User, carol: User) -> dict[str, User]:
    return {"alice": alice, "bob": bob, "carol": carol}


@pytest.fixture
def group(people: dict[str, User]) -> dict[str, Any]:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    with_bob, with_carol = connect(alice, bob), connect(alice, carol)
    connect(bob, carol)
    plan = careplan_create(actor=alice, connections=[with_bob, with_carol])
    places = [
        {"owner": str(person.id), "name": WORDS[name], "feels_like": WORDS[name]}
        for name, person in people.items()
    ]
    v1 = proposal_create(
        actor=alice,
        plan=plan,
        content={"places": places, "sections": [{"title": SECTION, "body": SECTION}]},
    )
    agreement_give(actor=bob, plan=plan, version=v1)
    agreement_give(actor=carol, plan=plan, version=v1)
    # carol's proposal, waiting for the others: it carries everyone's words too.
    waiting = proposal_create(
        actor=carol, plan=plan, content={"places": places[::-1], "sections": []}
    )
    return {
        "plan": plan,
        "v1": v1,
        "waiting": waiting,
        "with_bob": with_bob,
        "with_carol": with_carol,
    }


def _paths(group: dict[str, Any]) -> list[str]:
    plan, v1 = group["plan"].id, group["v1"].id
    return [
        f"/careplans/{plan}/",
        f"/careplans/{plan}/versions/{v1}/",
        f"/careplans/{plan}/versions/{group['waiting'].id}/",
        f"/careplans/{plan}/history/",
        f"/careplans/{plan}/propose/",
        f"/api/v1/careplans/{plan}",
        f"/api/v1/careplans/{plan}/versions",
        f"/api/v1/careplans/{plan}/versions/{v1}",
    ]


def _statuses(client: Client, paths: list[str]) -> list[int]:
    return [client.get(path).status_code for path in paths]


def _everything(client: Client, paths: list[str]) -> str:
    return "".join(client.get(path).content.decode() for path in [*paths, "/api/v1/careplans"])


def _end(actor: User, connection: Connection) -> None:
    connection_end(actor=actor, connection=Connection.objects.get(id=connection.id))


def test_before_anything_ends_all_three_read_each_others_words(
    people: dict[str, User], group: dict[str, Any]
) -> None:
    for person in people.values():
        body = _everything(client_for(person), _paths(group))
        assert all(words in body for words in WORDS.values())


def test_the_one_ended_with_leaves_and_the_plan_goes_on_for_the_others(
    people: dict[str, User], group: dict[str, Any]
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    paths = _paths(group)
    _end(alice, group["with_carol"])

    # carol can no longer open the plan, any version of it, or find it in her list.
    assert set(_statuses(client_for(carol), paths)) == {404}
    assert group["plan"].id.hex not in client_for(carol).get("/api/v1/careplans").content.decode()
    assert str(group["plan"].id) not in client_for(carol).get("/careplans/").content.decode()
    # alice and bob keep it, and read neither carol's words nor her proposal's.
    for person in (alice, bob):
        assert set(_statuses(client_for(person), paths[:2] + paths[3:])) == {200}
        body = _everything(client_for(person), paths[:2] + paths[3:])
        assert WORDS["alice"] in body and WORDS["bob"] in body and SECTION in body
        assert WORDS["carol"] not in body
    assert Party.objects.get(plan=group["plan"], user=carol).left_at is not None
    assert Party.objects.get(plan=group["plan"], user=alice).left_at is None
    # Her open proposal was written with her in the plan: it closes.
    group["waiting"].refresh_from_db()
    assert group["waiting"].status == Version.Status.OUTDATED


def test_when_the_other_ends_it_the_first_one_leaves(
    people: dict[str, User], group: dict[str, Any]
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    paths = _paths(group)
    _end(carol, group["with_carol"])

    assert set(_statuses(client_for(alice), paths)) == {404}
    # bob and carol are connected, so the plan goes on for them, without alice's words.
    for person in (bob, carol):
        body = _everything(client_for(person), paths[:2] + paths[3:])
        assert WORDS["bob"] in body and WORDS["carol"] in body
        assert WORDS["alice"] not in body


def test_the_plan_goes_on_without_them(people: dict[str, User], group: dict[str, Any]) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    plan: CarePlan = group["plan"]
    _end(alice, group["with_carol"])

    # The propose form starts from the plan as alice reads it: without carol's place.
    form = client_for(alice).get(f"/careplans/{plan.id}/propose/").content.decode()
    assert WORDS["carol"] not in form
    mine = {"owner": str(alice.id), "name": "new words"}
    v2 = proposal_create(actor=alice, plan=plan, content={"places": [mine]})
    # bob's agreement is the last one needed: carol is no longer asked.
    assert agreement_give(actor=bob, plan=plan, version=v2)
    # Nobody can give carol a place in it any more.
    with pytest.raises(ValidationError):
        proposal_create(
            actor=alice,
            plan=plan,
            content={"places": [mine, {"owner": str(carol.id), "name": "hers"}]},
        )


def test_safety_check_makes_the_one_who_runs_it_leave_and_the_plan_goes_on(
    people: dict[str, User], group: dict[str, Any]
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    paths = _paths(group)
    safety_check_run(actor=carol)

    assert set(_statuses(client_for(carol), paths)) == {404}
    for person in (alice, bob):
        assert set(_statuses(client_for(person), paths[:2] + paths[3:])) == {200}
        body = _everything(client_for(person), paths[:2] + paths[3:])
        assert WORDS["carol"] not in body and WORDS["alice"] in body
    assert [p.user_id for p in Party.objects.filter(plan=group["plan"]).exclude(left_at=None)] == [
        carol.id
    ]


def test_an_ended_connection_between_people_not_both_in_a_plan_changes_nothing(
    people: dict[str, User], group: dict[str, Any], mallory: User
) -> None:
    alice = people["alice"]
    _end(alice, connect(alice, mallory))
    assert not Party.objects.filter(plan=group["plan"]).exclude(left_at=None).exists()
    assert set(_statuses(client_for(people["carol"]), _paths(group))) == {200}


def test_each_keeps_their_own_words_in_the_data_export(
    people: dict[str, User], group: dict[str, Any]
) -> None:
    from tend.accounts.export import collect_export

    _end(people["alice"], group["with_carol"])
    for name, person in people.items():
        (entry,) = collect_export(user=person)["careplan_places"]
        assert entry["version"] == 1
        assert [p["name"] for p in entry["places"]] == [WORDS[name]]
        assert (entry["left_at"] is not None) == (name == "carol")
        others = [w for n, w in WORDS.items() if n != name]
        assert not any(w in str(entry) for w in others)
