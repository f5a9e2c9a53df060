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
    client_for(alice).post(f"/rituals/actions/{item.id}/done/")
    third = _start(alice, together)
    assert (
        "Plan our Sunday walk"
        not in client_for(alice).get(f"/rituals/checkins/{third.id}/").content.decode()
    )


def test_a_new_action_item_is_said_in_its_check_in_not_carried_over_yet(
    alice: User, bob: User, together: Any
) -> None:
    checkin = _start(alice, together)
    url = f"/rituals/checkins/{checkin.id}/"
    client_for(alice).post(url + "answer/", {"action_item": ["Plan our Sunday walk"]})
    page = client_for(alice).get(url).content.decode()
    assert "Plan our Sunday walk" in page
    assert "Said in this check-in" in page and "Carrying over" not in page
    # A later check-in carries it over; the earlier one does not list later items.
    later = _start(alice, together)
    client_for(alice).post(f"/rituals/checkins/{later.id}/answer/", {"action_item": ["Call Sam"]})
    page = client_for(alice).get(f"/rituals/checkins/{later.id}/").content.decode()
    carried = page[page.index("Carrying over") : page.index("Said in this check-in")]
    assert "Plan our Sunday walk" in carried and "Call Sam" not in carried
    assert "Call Sam" not in client_for(alice).get(url).content.decode()


def test_only_whoever_said_it_can_mark_an_action_item_done(
    alice: User, bob: User, mallory: User, together: Any
) -> None:
    from django.http import Http404

    from tend.rituals.services import action_item_done

    checkin = _start(alice, together)
    url = f"/rituals/checkins/{checkin.id}/"
    client_for(alice).post(url + "answer/", {"action_item": ["Plan our Sunday walk"]})
    client_for(bob).post(url + "answer/", {"went_well": "yes"})
    item = ActionItem.objects.get()
    # Revealed: bob reads alice's item, without a button to mark it done.
    page = client_for(bob).get(url).content.decode()
    assert "Plan our Sunday walk" in page
    assert f"/rituals/actions/{item.id}/done/" not in page
    assert f"/rituals/actions/{item.id}/done/" in client_for(alice).get(url).content.decode()
    # Neither the page nor the service lets bob (or a stranger) mark it.
    for person in (bob, mallory):
        assert client_for(person).post(f"/rituals/actions/{item.id}/done/").status_code == 404
    with pytest.raises(Http404):
        action_item_done(actor=bob, item=item)
    item.refresh_from_db()
    assert item.done_at is None
    assert client_for(alice).post(f"/rituals/actions/{item.id}/done/").status_code == 302
    item.refresh_from_db()
    assert item.done_by == alice


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


WEEK_STORY = "CANARY-alice-week-story"


def test_bob_sees_alices_shared_weekly_summary_in_their_check_in_until_she_revokes_it(
    alice: User, bob: User, together: Any
) -> None:
    from tend.connections.share_services import share_revoke
    from tend.connections.tests.factories import share
    from tend.journal.tests.factories import MomentFactory

    MomentFactory(author=alice, story=WEEK_STORY)
    checkin = _start(alice, together)
    url = f"/rituals/checkins/{checkin.id}/"
    before = client_for(bob).get(url).content.decode()
    assert "Their week, as they chose to share it" not in before
    assert WEEK_STORY not in before
    shared = share(alice, together, "weekly_summary", include_stories=True, note="CANARY-note")
    page = client_for(bob).get(url).content.decode()
    assert "Their week, as they chose to share it" in page
    assert WEEK_STORY in page and "CANARY-note" in page
    # Alice's list of who opened what shows it, as for the shared page itself.
    from tend.connections.selectors import share_views_of

    assert [(v.actor, v.target_id) for v in share_views_of(owner=alice)] == [(bob, str(shared.id))]
    # Bob has not shared his own week: a calm link to do so, prefilled with that scope.
    assert f"/connections/{together.id}/share/?scope=weekly_summary" in page
    share_revoke(actor=alice, share=shared)
    after = client_for(bob).get(url)
    assert after.status_code == 200
    assert WEEK_STORY not in after.content.decode()
    assert "Their week, as they chose to share it" not in after.content.decode()


def test_alice_sees_no_share_link_once_she_shares_her_week_and_never_her_own_summary_as_theirs(
    alice: User, bob: User, together: Any
) -> None:
    from tend.connections.tests.factories import share

    checkin = _start(alice, together)
    url = f"/rituals/checkins/{checkin.id}/"
    assert "?scope=weekly_summary" in client_for(alice).get(url).content.decode()
    share(alice, together, "weekly_summary")
    page = client_for(alice).get(url).content.decode()
    assert "?scope=weekly_summary" not in page
    assert "Their week, as they chose to share it" not in page


def test_the_share_form_preselects_the_weekly_summary_from_the_query(
    alice: User, bob: User, together: Any
) -> None:
    page = client_for(bob).get(f"/connections/{together.id}/share/?scope=weekly_summary")
    html = page.content.decode()
    assert 'value="weekly_summary" checked' in html
    assert 'value="theme" checked' not in html


def test_a_link_cannot_tick_include_my_stories_on_the_share_form(
    alice: User, bob: User, together: Any
) -> None:
    url = f"/connections/{together.id}/share/?scope=weekly_summary&include_stories=on&note=Hi"
    html = client_for(bob).get(url).content.decode()
    assert 'value="weekly_summary" checked' in html
    assert 'id="id_include_stories" checked' not in html
    assert ">Hi</textarea>" not in html


def test_opening_a_check_in_reads_its_notices_and_the_dot_goes(
    alice: User, bob: User, together: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tend.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        checkin = _start(alice, together)
    client = client_for(bob)
    assert 'class="nav-dot"' in client.get("/home/").content.decode()
    client.get(f"/rituals/checkins/{checkin.id}/")
    assert Notification.objects.get(recipient=bob).read_at is not None
    assert 'class="nav-dot"' not in client.get("/home/").content.decode()
