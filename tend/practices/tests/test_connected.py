"""Practices meeting the rest of Tend: resourcing a moment, inviting a connection to breathe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tend.conftest import client_for
from tend.connections.tests.factories import connect
from tend.journal.services import moment_log
from tend.notifications.models import Notification
from tend.practices.services import shared_breath_start

pytestmark = pytest.mark.django_db


def _save(user: Any, moment_id: Any, *, before: str, after: str) -> Any:
    return client_for(user).post(
        "/practices/activated/save/",
        {
            "practice_code": "feet_on_floor",
            "flow": "1",
            "intensity_before": before,
            "intensity_after": after,
            "moment": str(moment_id),
        },
    )


def test_a_moment_page_offers_the_flow_for_that_moment_with_its_intensity(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["freeze"], intensity=6)
    page = client_for(alice).get(f"/journal/{moment.id}/").content.decode()
    match = re.search(r'href="([^"]*)">Resource now with a practice<', page)
    assert match, "the moment page has no link to resource now"
    href = match.group(1).replace("&amp;", "&")
    assert href == f"/practices/activated/?moment={moment.id}&intensity=6"
    # The flow carries the moment to the practice it suggests.
    flow = client_for(alice).get(href + "&state=freeze").content.decode()
    assert f"moment={moment.id}" in flow.replace("&amp;", "&")


def test_finishing_the_flow_from_a_moment_attaches_the_session_to_it(alice: Any) -> None:
    moment, _ = moment_log(author=alice, states=["freeze"], intensity=6)
    assert _save(alice, moment.id, before="6", after="3").status_code == 302
    moment.refresh_from_db()
    assert (moment.intensity, moment.intensity_after) == (6, 3)
    assert moment.practice_sessions.get().intensity_after == 3


def test_someone_elses_moment_is_refused_and_nothing_is_attached(alice: Any, bob: Any) -> None:
    moment, _ = moment_log(author=alice, states=["freeze"], intensity=6)
    assert _save(bob, moment.id, before="6", after="3").status_code == 404
    moment.refresh_from_db()
    assert moment.intensity_after is None
    assert not moment.practice_sessions.exists()


def test_a_glimmer_page_does_not_offer_to_resource(alice: Any) -> None:
    moment, _ = moment_log(author=alice, kind="glimmer", cue="sun")
    page = client_for(alice).get(f"/journal/{moment.id}/").content.decode()
    assert "Resource now with a practice" not in page


def test_the_host_can_invite_an_active_connection_only_and_the_notice_opens_it_by_id(
    alice: Any, bob: Any, carol: Any, django_capture_on_commit_callbacks: Any
) -> None:
    connection = connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=15)
    page = client_for(alice).get(f"/practices/together/{token}/").content.decode()
    assert f"/practices/together/{token}/invite/{connection.id}/" in page
    assert "Send to" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(f"/practices/together/{token}/invite/{connection.id}/")
    assert response.status_code == 302
    notice = Notification.objects.get(recipient=bob)
    assert notice.code == "together.invite"
    # The notice links to the session by its id: the secret stays out of it.
    assert notice.link == f"/practices/together/{breath.id}/"
    assert token not in notice.link
    assert not Notification.objects.filter(recipient=carol).exists()

    # The invitee opens the notice and lands on the shared pacer as its guest.
    opened = client_for(bob).post(f"/notifications/{notice.id}/open/", follow=True)
    assert opened.status_code == 200
    assert opened.redirect_chain[-1][0] == f"/practices/together/{breath.id}/"
    assert b"Breathing with" in opened.content
    # Their page polls and ends the session by its id too; it never learns the token.
    assert f'data-status-url="/practices/together/{breath.id}/status/"' in opened.content.decode()
    assert f'action="/practices/together/{breath.id}/end/"' in opened.content.decode()
    assert token not in opened.content.decode()
    breath.refresh_from_db()
    assert (breath.invitee_id, breath.guest_id) == (bob.pk, bob.pk)


def test_the_notice_carries_no_name_or_words(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tend.notifications.messages import message_for

    alice.display_name = "Alice Zebra"
    alice.save()
    connection = connect(alice, bob)
    _breath, token = shared_breath_start(host=alice, minutes=15)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(f"/practices/together/{token}/invite/{connection.id}/")
    notice = Notification.objects.get(recipient=bob)
    assert message_for(notice.code) == "Someone invites you to breathe together."
    listing = client_for(bob).get("/notifications/").content.decode()
    assert "Someone invites you to breathe together." in listing
    assert "Zebra" not in listing


def test_someone_not_connected_or_an_ended_connection_cannot_be_invited(
    alice: Any, bob: Any, carol: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tend.connections.services import connection_end

    between_bob_and_carol = connect(bob, carol)
    ended = connect(alice, carol)
    connection_end(actor=alice, connection=ended)
    _breath, token = shared_breath_start(host=alice, minutes=15)
    for connection in (between_bob_and_carol, ended):
        url = f"/practices/together/{token}/invite/{connection.id}/"
        with django_capture_on_commit_callbacks(execute=True):
            assert client_for(alice).post(url).status_code == 404
    assert not Notification.objects.exists()


def test_only_the_host_can_invite(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    connection = connect(alice, bob)
    _breath, token = shared_breath_start(host=alice, minutes=15)
    url = f"/practices/together/{token}/invite/{connection.id}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(bob).post(url).status_code == 404
    assert not Notification.objects.exists()
