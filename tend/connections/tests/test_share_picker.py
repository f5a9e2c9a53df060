"""A new share is of one moment, picked by searching one's own moments (no 200-item select)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.models import Connection, Share
from tend.connections.tests.factories import connect
from tend.journal.models import Moment
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def _moment(author: User, cue: str, days_ago: int = 0) -> Moment:
    return MomentFactory(  # type: ignore[no-any-return]
        author=author, cue=cue, occurred_at=timezone.now() - dt.timedelta(days=days_ago, hours=1)
    )


def _offered(html: str) -> list[str]:
    return re.findall(r'name="moment" id="moment_[^"]+" value="([^"]+)"', html)


@pytest.fixture
def together(alice: User, bob: User) -> Connection:
    return connect(alice, bob)


def test_a_new_share_starts_at_one_moment_with_the_latest_few_offered(
    alice: User, together: Connection
) -> None:
    moments = [_moment(alice, f"moment number {n}", days_ago=n) for n in range(30)]
    page = client_for(alice).get(f"/connections/{together.id}/share/").content.decode()
    assert re.search(r'id="scope_moment" value="moment" checked', page)
    assert '<select name="moment"' not in page
    assert _offered(page) == [str(m.id) for m in moments[:5]]
    assert 'type="search" name="moment_q"' in page


def test_searching_finds_only_the_persons_own_moments_and_keeps_what_was_typed(
    alice: User, bob: User, together: Connection
) -> None:
    old = _moment(alice, "He looked at his phone at dinner", days_ago=200)
    for n in range(10):
        _moment(alice, f"something else {n}", days_ago=n)
    bobs = _moment(bob, "phone at dinner, from bob's own journal")
    client = client_for(alice)
    url = f"/connections/{together.id}/share/"
    page = client.post(
        url,
        {"find": "1", "moment_q": "PHONE at dinner", "note": "so you know", "scope": "theme"},
    ).content.decode()
    assert _offered(page) == [str(old.id)]
    assert str(bobs.id) not in page
    # Searching chose "one moment" and kept the note and the words.
    assert re.search(r'id="scope_moment" value="moment" checked', page)
    assert "so you know" in page and 'value="PHONE at dinner"' in page
    assert not Share.objects.exists(), "searching shares nothing"
    # Then pick it and share.
    response = client.post(url, {"scope": "moment", "moment": str(old.id), "note": "so you know"})
    assert response.status_code == 302
    assert Share.objects.get().moment_id == old.id


def test_nothing_found_says_so_kindly(alice: User, together: Connection) -> None:
    _moment(alice, "a quiet evening")
    page = (
        client_for(alice)
        .post(
            f"/connections/{together.id}/share/",
            {"find": "1", "moment_q": "volcano"},
        )
        .content.decode()
    )
    assert "None of your moments has these words." in page and _offered(page) == []


def test_a_moment_chosen_from_its_page_stays_offered_and_chosen(
    alice: User, bob: User, together: Connection
) -> None:
    old = _moment(alice, "from long ago", days_ago=300)
    for n in range(8):
        _moment(alice, f"newer {n}", days_ago=n)
    client = client_for(alice)
    url = f"/connections/{together.id}/share/"
    page = client.get(f"{url}?moment={old.id}").content.decode()
    assert _offered(page)[0] == str(old.id)
    assert re.search(rf'value="{old.id}" checked', page)
    # Someone else's moment id in the address offers nothing of theirs.
    bobs = _moment(bob, "CANARY-bob-picker-1e7c")
    page = client.get(f"{url}?moment={bobs.id}").content.decode()
    assert str(bobs.id) not in page and "CANARY-bob-picker-1e7c" not in page


def test_without_moments_the_picker_says_what_to_do(alice: User, together: Connection) -> None:
    page = client_for(alice).get(f"/connections/{together.id}/share/").content.decode()
    assert "You have no moments yet." in page and 'name="moment_q"' not in page


def test_sharing_someone_elses_moment_is_refused(
    alice: User, bob: User, together: Connection
) -> None:
    bobs = _moment(bob, "bob's")
    response = client_for(alice).post(
        f"/connections/{together.id}/share/",
        {"scope": "moment", "moment": str(bobs.id)},
    )
    assert response.status_code == 400
    assert "Choose one of your moments." in response.content.decode()
    assert not Share.objects.exists()


def test_a_moment_ticked_before_searching_again_stays_chosen(
    alice: User, together: Connection
) -> None:
    kept = _moment(alice, "the first one I picked", days_ago=50)
    other = _moment(alice, "a walk by the river")
    page = (
        client_for(alice)
        .post(
            f"/connections/{together.id}/share/",
            {"find": "1", "moment_q": "river", "moment": str(kept.id)},
        )
        .content.decode()
    )
    assert _offered(page) == [str(kept.id), str(other.id)]
    assert re.search(rf'value="{kept.id}" checked', page)
    assert "1 moment with these words" in page
