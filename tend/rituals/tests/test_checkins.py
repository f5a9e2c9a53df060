"""Check-ins: private answers revealed together, action items carrying over, access."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.services import connection_end
from tend.connections.tests.factories import connect
from tend.rituals.models import ActionItem, CheckIn

ALICE_SECRET = "CANARY-alice-appreciation"
BOB_SECRET = "CANARY-bob-tender"


@pytest.fixture
def together(alice: User, bob: User) -> Any:
    return connect(alice, bob)


def _start(user: User, connection: Any) -> CheckIn:
    client_for(user).post("/rituals/checkins/start/", {"connection": str(connection.id)})
    return CheckIn.objects.latest("created_at")


def test_answers_stay_hidden_until_both_have_answered_then_both_see_both(
    alice: User, bob: User, together: Any
) -> None:
    checkin = _start(alice, together)
    url = f"/rituals/checkins/{checkin.id}/"
    client_for(alice).post(url + "answer/", {"appreciations": ALICE_SECRET})
    assert ALICE_SECRET in client_for(alice).get(url).content.decode()
    assert ALICE_SECRET not in client_for(bob).get(url).content.decode()
    api = client_for(bob).get(f"/api/v1/rituals/checkins/{checkin.id}").json()
    assert api["answers"] == [] and api["revealed_at"] is None
    client_for(bob).post(url + "answer/", {"tender": BOB_SECRET})
    for person in (alice, bob):
        page = client_for(person).get(url).content.decode()
        assert ALICE_SECRET in page and BOB_SECRET in page


def test_answering_twice_is_refused(alice: User, bob: User, together: Any) -> None:
    checkin = _start(alice, together)
    url = f"/api/v1/rituals/checkins/{checkin.id}/answers"
    first = client_for(alice).post(
        url, data=json.dumps({"went_well": "a"}), content_type="application/json"
    )
    assert first.status_code == 201
    again = client_for(alice).post(
        url, data=json.dumps({"went_well": "b"}), content_type="application/json"
    )
    assert again.status_code == 409


def test_an_open_action_item_appears_in_the_next_check_in_until_it_is_done(
    alice: User, bob: User, together: Any
) -> None:
    first = _start(alice, together)
    client_for(alice).post(
        f"/rituals/checkins/{first.id}/answer/", {"action_item": ["Plan our Sunday walk"]}
    )
    # Before bob answered, bob does not see alice's item.
    second_preview = client_for(bob).get(f"/rituals/checkins/{first.id}/").content.decode()
    assert "Plan our Sunday walk" not in second_preview
    client_for(bob).post(f"/rituals/checkins/{first.id}/answer/", {"went_well": "yes"})
    second = _start(bob, together)
    page = client_for(bob).get(f"/rituals/checkins/{second.id}/").content.decode()
    assert "Carrying over" in page and "Plan our Sunday walk" in page
    item = ActionItem.objects.get()
    client_for(bob).post(f"/rituals/actions/{item.id}/done/")
    third = _start(alice, together)
    assert (
        "Plan our Sunday walk"
        not in client_for(alice).get(f"/rituals/checkins/{third.id}/").content.decode()
    )


def test_strangers_get_404_and_an_ended_connection_ends_access(
    alice: User, bob: User, mallory: User, together: Any
) -> None:
    checkin = _start(alice, together)
    url = f"/rituals/checkins/{checkin.id}/"
    assert client_for(mallory).get(url).status_code == 404
    assert client_for(mallory).post(url + "answer/", {"went_well": "x"}).status_code == 404
    connection_end(actor=bob, connection=together)
    assert client_for(bob).get(url).status_code == 404
    assert client_for(alice).get(url).status_code == 404
