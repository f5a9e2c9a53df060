"""Lists of care plans cost a fixed number of queries, however many plans there are."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tend.accounts.models import User
from tend.careplans.models import CarePlan
from tend.careplans.services import agreement_give, careplan_create, proposal_create
from tend.conftest import client_for
from tend.connections.tests.factories import connect

CANARY = "CANARY-careplan-count-5d2c"


def _place(owner: User, name: str) -> dict[str, Any]:
    return {"owner": str(owner.id), "name": name, "ask_for": CANARY}


def _add_plan(alice: User, bob: User, together: Any) -> CarePlan:
    """A plan with everything a list shows: parties, an agreed version, a proposal waiting."""
    plan = careplan_create(actor=alice, connections=[together])
    agreed = proposal_create(actor=alice, plan=plan, content={"places": [_place(alice, "Dates")]})
    agreement_give(actor=bob, plan=plan, version=agreed)
    proposal_create(actor=bob, plan=plan, content={"places": [_place(bob, "Nights")]})
    return plan


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/careplans/", "/api/v1/careplans"])
def test_the_care_plan_lists_cost_the_same_queries_for_one_plan_as_for_five(
    alice: User, bob: User, url: str
) -> None:
    together = connect(alice, bob)
    _add_plan(alice, bob, together)
    client = client_for(alice)
    client.get(url)  # Sessions and caches warm up once.
    one = _queries(client, url)
    for _ in range(4):
        _add_plan(alice, bob, together)
    five = _queries(client, url)
    assert one == five, f"{url}: {one} queries for one plan, {five} for five"


def test_the_index_still_shows_each_plan_its_version_and_what_waits(alice: User, bob: User) -> None:
    together = connect(alice, bob)
    for _ in range(2):
        _add_plan(alice, bob, together)
    page = client_for(alice).get("/careplans/").content.decode()
    assert page.count("Care plan with Bob") == 2
    assert page.count("Version 1 agreed") == 2
    assert page.count("A proposal is waiting for you") == 2
    # Bob proposed the waiting one and agreed to it by proposing: nothing waits for him.
    assert "waiting for you" not in client_for(bob).get("/careplans/").content.decode()


def test_the_api_list_still_gives_parties_and_the_agreed_version(alice: User, bob: User) -> None:
    together = connect(alice, bob)
    for _ in range(2):
        _add_plan(alice, bob, together)
    items = client_for(bob).get("/api/v1/careplans").json()["items"]
    assert len(items) == 2
    for item in items:
        assert sorted(item["party_ids"]) == sorted([str(alice.id), str(bob.id)])
        active = item["active_version"]
        assert active["number"] == 1
        assert active["content"]["places"][0]["ask_for"] == CANARY
        assert sorted(a["user_id"] for a in active["agreements"]) == sorted(
            [str(alice.id), str(bob.id)]
        )


@pytest.mark.parametrize("url", ["/careplans/{id}/history/", "/api/v1/careplans/{id}/versions"])
def test_the_version_lists_cost_the_same_queries_for_one_version_as_for_five(
    alice: User, bob: User, url: str
) -> None:
    plan = careplan_create(actor=alice, connections=[connect(alice, bob)])
    url = url.format(id=plan.id)

    def agree_on(n: int) -> None:
        version = proposal_create(
            actor=alice, plan=plan, content={"places": [_place(alice, f"Place {n}")]}
        )
        agreement_give(actor=bob, plan=plan, version=version)

    agree_on(0)
    client = client_for(alice)
    client.get(url)
    one = _queries(client, url)
    for n in range(1, 5):
        agree_on(n)
    five = _queries(client, url)
    assert one == five, f"{url}: {one} queries for one version, {five} for five"


def test_the_history_still_shows_who_agreed_to_each_version(alice: User, bob: User) -> None:
    plan = careplan_create(actor=alice, connections=[connect(alice, bob)])
    for n in range(2):
        version = proposal_create(
            actor=alice, plan=plan, content={"places": [_place(alice, f"Place {n}")]}
        )
        agreement_give(actor=bob, plan=plan, version=version)
    page = client_for(bob).get(f"/careplans/{plan.id}/history/").content.decode()
    # In the order they agreed: the proposer at once, then bob.
    assert page.count("agreed by Alice (") == 2
    assert page.count(", you (") == 2
