"""The names of a person's own practices are theirs: others read "a practice of their own".

A partner reads alice's map and week through a shared map, a shared weekly summary (page and
API) and the check-in page that pulls her summary in. None of them may carry the name she gave
her own practice; her own map (page and API) still does, whichever of them was asked first,
since maps are kept per owner (``tend/insights/kept.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.tests.factories import connect, share
from tend.practices.models import CustomPractice
from tend.practices.tests.factories import own_practice_that_helped
from tend.rituals.services import checkin_start

pytestmark = pytest.mark.django_db

PRACTICE = "PRACTICE-canary-cold-water-5e2f"
THEIR_OWN = "a practice of their own"


@pytest.fixture
def shared(alice: User, bob: User) -> dict[str, str]:
    own_practice_that_helped(alice, name=PRACTICE)
    connection = connect(alice, bob)
    summary = share(alice, connection, "weekly_summary")
    trigger_map = share(alice, connection, "trigger_map")
    checkin = checkin_start(actor=alice, connection=connection)
    return {
        "summary page": f"/connections/shared/{summary.id}/",
        "map page": f"/connections/shared/{trigger_map.id}/",
        "summary API": f"/api/v1/shared-with-me/{summary.id}",
        "check-in": f"/rituals/checkins/{checkin.id}/",
    }


def _text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _alices_own(alice: User) -> dict[str, str]:
    client = client_for(alice)
    return {path: _text(client, path) for path in ("/insights/", "/api/v1/insights/map")}


def _what_bob_reads(bob: User, shared: dict[str, str]) -> dict[str, str]:
    client = client_for(bob)
    return {where: _text(client, path) for where, path in shared.items()}


@pytest.mark.parametrize("first", ["alice", "bob"])
def test_a_partner_reads_ones_own_practice_only_as_a_practice_of_their_own(
    alice: User, bob: User, shared: dict[str, str], first: str
) -> None:
    caches["insights"].clear()
    # Whoever asks first makes the kept map; the other must not be served that one's words.
    if first == "alice":
        mine, theirs = _alices_own(alice), _what_bob_reads(bob, shared)
    else:
        theirs, mine = _what_bob_reads(bob, shared), _alices_own(alice)
    leaks = [where for where, body in theirs.items() if PRACTICE in body]
    assert not leaks, f"the name of alice's own practice reached bob at: {leaks}"
    missing = [where for where, body in theirs.items() if THEIR_OWN not in body]
    assert not missing, f"what helped alice is not there at: {missing}"
    assert all(PRACTICE in body for body in mine.values())


def test_the_summary_api_names_no_practice_id_either(
    alice: User, bob: User, shared: dict[str, str]
) -> None:
    practice = CustomPractice.objects.get(author=alice)
    body = _text(client_for(bob), shared["summary API"])
    assert str(practice.id) not in body and str(practice.id).replace("-", "") not in body


def test_the_kept_map_is_the_owners_and_others_get_a_copy(alice: User) -> None:
    from tend.insights.selectors import trigger_map

    own_practice_that_helped(alice, name=PRACTICE)
    end = timezone.now()
    start = end - dt.timedelta(days=7)
    found = trigger_map(owner=alice, start=start, end=end)
    seen = found.seen_by_others()
    assert [h.label for h in seen.helps] == [THEIR_OWN]
    assert [[h.label for h in ranking] for _state, ranking in seen.helps_by_state] == [[THEIR_OWN]]
    # The owner's map, and the one kept for her, still name it.
    assert [h.label for h in found.helps] == [PRACTICE]
    assert [h.label for h in trigger_map(owner=alice, start=start, end=end).helps] == [PRACTICE]


def test_ones_own_words_of_what_helped_are_not_practices(alice: User, bob: User) -> None:
    """Only the practices' names are replaced: "what helped" words the owner shares with the map
    stay as written (the map's documented scope), and catalogue practices keep their titles."""
    from tend.insights.maps import Help
    from tend.insights.maps import helps_seen_by_others as seen_by_others

    words = Help(key="journal:x", label="a walk", source="journal")
    catalogue: Any = Help(key="practice:long_exhale", label="Long exhale", source="practice")
    own = Help(key="custom:1", label=PRACTICE, source="practice", own=True)
    assert [h.label for h in seen_by_others([words, catalogue, own])] == [
        "a walk",
        "Long exhale",
        THEIR_OWN,
    ]
