"""Inviting a connection to breathe together keeps the seat for them, without sending the secret.

The notice links to the session by its id. That id opens it for the invitee alone (and the
host), only while the invitee is still connected with the host; anyone else gets the very 404 a
missing session gives. The secret link stays the host's own way to share it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.services import connection_end
from tend.connections.tests.factories import connect
from tend.notifications import delivery
from tend.notifications.models import Notification, PushSubscription, Reminder
from tend.practices.models import SharedBreath
from tend.practices.selectors import shared_breath_for
from tend.practices.services import (
    SeatTaken,
    shared_breath_invite,
    shared_breath_join,
    shared_breath_start,
)

pytestmark = pytest.mark.django_db


def _invite(host: User, connection_id: Any, token: str, capture: Any) -> Any:
    with capture(execute=True):
        return client_for(host).post(f"/practices/together/{token}/invite/{connection_id}/")


def _missing(user: User | None, suffix: str = "", method: str = "get") -> Any:
    """What a session that never existed answers, to compare a refusal with."""
    return getattr(client_for(user), method)(f"/practices/together/{uuid.uuid4()}/{suffix}")


def _page_text(response: Any) -> str:
    # Each response masks the CSRF token afresh (and may carry a fresh CSP nonce): those differ
    # between any two pages, so they say nothing about which session was asked for.
    text = response.content.decode()
    text = re.sub(r'(data-csrf-token=")[^"]*"', r'\1"', text)
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', text)
    return re.sub(r'(nonce=")[^"]*"', r'\1"', text)


def _looks_missing(response: Any, user: User | None, suffix: str = "", method: str = "get") -> bool:
    missing = _missing(user, suffix, method)
    return bool(response.status_code == missing.status_code == 404) and (
        _page_text(response) == _page_text(missing)
    )


@pytest.fixture
def pushes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Web Push payload, as the push service would receive it."""
    sent: list[str] = []
    monkeypatch.setattr(delivery, "send_push", lambda _subscription, data: sent.append(data))
    return sent


def every_stored_value() -> str:
    """Every row of every table, as text: what a backup or a look at the database would show."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the schema
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_the_token_is_in_no_notice_email_push_payload_or_table(
    alice: User, bob: User, pushes: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    connection_ = connect(alice, bob)
    PushSubscription.objects.create(
        user=bob, endpoint="https://push.example.test/bob", p256dh="k", auth="a"
    )
    breath, token = shared_breath_start(host=alice, minutes=15)
    mail.outbox.clear()

    assert _invite(alice, connection_.id, token, django_capture_on_commit_callbacks).status_code
    # The invitation went out on every channel, so each check below looks at something real.
    notice = Notification.objects.get(recipient=bob, code="together.invite")
    [email] = [m for m in mail.outbox if m.to == [bob.email]]
    assert len(pushes) == 1
    by_id = f"/practices/together/{breath.id}/"
    assert notice.link == by_id
    assert by_id in email.body
    assert json.loads(pushes[0])["url"] == by_id

    for row in (*Notification.objects.values(), *Reminder.objects.values()):
        assert token not in str(row)
    for message in mail.outbox:
        parts = [message.subject, message.body, *(c for c, _ in message.alternatives)]
        assert not any(token in str(part) for part in parts)
    assert not any(token in payload for payload in pushes)
    assert token not in every_stored_value()


def test_the_session_by_id_opens_for_the_invitee_and_the_host_and_looks_missing_to_others(
    alice: User,
    bob: User,
    carol: User,
    mallory: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with_bob = connect(alice, bob)
    # carol is also alice's connection, only not the one invited.
    connect(alice, carol, kind="friend")
    breath, token = shared_breath_start(host=alice, minutes=15)
    _invite(alice, with_bob.id, token, django_capture_on_commit_callbacks)
    page = f"/practices/together/{breath.id}/"

    anonymous = client_for(None).get(page)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    for someone_else in (carol, mallory):
        client = client_for(someone_else)
        assert _looks_missing(client.get(page), someone_else)
        assert _looks_missing(client.get(page + "status/"), someone_else, "status/")
        assert _looks_missing(client.post(page + "end/"), someone_else, "end/", "post")
    breath.refresh_from_db()
    assert breath.guest_id is None and breath.ended_at is None

    assert client_for(alice).get(page).status_code == 200
    opened = client_for(bob).get(page)
    assert opened.status_code == 200 and b"Breathing with" in opened.content
    assert client_for(bob).get(page + "status/").json()["joined"] is True
    assert client_for(bob).post(page + "end/").status_code == 302
    breath.refresh_from_db()
    assert breath.guest_id == bob.pk and breath.ended_at is not None


def test_ending_the_connection_takes_the_invitation_away_at_once(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    with_bob = connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=15)
    _invite(alice, with_bob.id, token, django_capture_on_commit_callbacks)
    page = f"/practices/together/{breath.id}/"
    assert client_for(bob).get(page).status_code == 200

    connection_end(actor=alice, connection=with_bob)
    client = client_for(bob)
    assert _looks_missing(client.get(page), bob)
    assert _looks_missing(client.get(page + "status/"), bob, "status/")
    assert _looks_missing(client.post(page + "end/"), bob, "end/", "post")
    # Holding the secret link as well would not help: the seat is theirs only while connected.
    with pytest.raises(Http404):
        shared_breath_for(viewer=bob, token=token)
    breath.refresh_from_db()
    assert breath.ended_at is None


def test_an_ended_or_expired_session_is_over_for_the_invitee_and_missing_for_anyone_else(
    alice: User, bob: User, mallory: User, django_capture_on_commit_callbacks: Any
) -> None:
    with_bob = connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=5)
    _invite(alice, with_bob.id, token, django_capture_on_commit_callbacks)
    SharedBreath.objects.filter(id=breath.id).update(expires_at=timezone.now())
    page = f"/practices/together/{breath.id}/"

    # The invitee learns it is over (they were told it exists); nothing more is served.
    over = client_for(bob).get(page)
    assert over.status_code == 410 and b"Breathing with" not in over.content
    assert client_for(bob).get(page + "status/").json() == {"live": False}
    # Anyone else cannot tell an ended session from none at all.
    assert _looks_missing(client_for(mallory).get(page), mallory)
    assert _looks_missing(client_for(mallory).get(page + "status/"), mallory, "status/")


def test_a_kept_seat_turns_away_anyone_else_who_has_the_secret_link(
    alice: User, bob: User, mallory: User, django_capture_on_commit_callbacks: Any
) -> None:
    with_bob = connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=15)
    _invite(alice, with_bob.id, token, django_capture_on_commit_callbacks)

    assert client_for(mallory).get(f"/practices/together/{token}/").status_code == 404
    assert client_for(mallory).post(f"/practices/together/{token}/end/").status_code == 404
    host = client_for(alice).get(f"/practices/together/{token}/").content.decode()
    assert "The seat is kept" in host and "It is kept for Bob" in host
    # Nothing left to send or choose: the link would no longer seat anyone.
    assert token not in host.replace(f"/practices/together/{token}/status/", "").replace(
        f"/practices/together/{token}/end/", ""
    )
    assert "Send to" not in host
    # The invitee may still use the link if the host sent it to them as well.
    assert client_for(bob).get(f"/practices/together/{token}/").status_code == 200
    breath.refresh_from_db()
    assert breath.guest_id == bob.pk


def test_without_an_invitation_the_link_seats_the_first_to_open_it_as_before(
    alice: User, mallory: User, carol: User
) -> None:
    breath, token = shared_breath_start(host=alice, minutes=15)
    host = client_for(alice).get(f"/practices/together/{token}/").content.decode()
    assert f"http://testserver/practices/together/{token}/" in host
    assert client_for(mallory).get(f"/practices/together/{token}/").status_code == 200
    assert client_for(carol).get(f"/practices/together/{token}/").status_code == 404
    breath.refresh_from_db()
    assert breath.guest_id == mallory.pk and breath.invitee_id is None
    # The id is not a way in for someone who came by the link: that is the invitee's door.
    assert _looks_missing(client_for(mallory).get(f"/practices/together/{breath.id}/"), mallory)


def test_one_seat_one_invitation_and_asking_again_sends_nothing_new(
    alice: User, bob: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    with_bob = connect(alice, bob)
    with_carol = connect(alice, carol, kind="friend")
    breath, token = shared_breath_start(host=alice, minutes=15)
    _invite(alice, with_bob.id, token, django_capture_on_commit_callbacks)
    again = _invite(alice, with_bob.id, token, django_capture_on_commit_callbacks)
    assert again.status_code == 302
    assert Notification.objects.filter(recipient=bob).count() == 1

    refused = client_for(alice).post(
        f"/practices/together/{token}/invite/{with_carol.id}/", follow=True
    )
    assert b"The seat is already taken." in refused.content
    assert not Reminder.objects.filter(recipient=carol).exists()
    breath.refresh_from_db()
    assert breath.invitee_id == bob.pk


def test_nobody_can_be_invited_once_someone_joined_by_the_link(
    alice: User, bob: User, mallory: User, django_capture_on_commit_callbacks: Any
) -> None:
    with_bob = connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=15)
    assert client_for(mallory).get(f"/practices/together/{token}/").status_code == 200
    with pytest.raises(SeatTaken):
        shared_breath_invite(actor=alice, breath=breath, connection_id=with_bob.id)
    assert not Reminder.objects.exists()
    breath.refresh_from_db()
    assert (breath.guest_id, breath.invitee_id) == (mallory.pk, None)


def test_someone_who_opened_the_link_just_before_the_invitation_is_not_seated(
    alice: User, bob: User, mallory: User
) -> None:
    with_bob = connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=15)
    # mallory's request found the seat free ...
    seen_by_mallory = shared_breath_for(viewer=mallory, token=token)
    # ... and the host kept it for bob before her request took it.
    shared_breath_invite(actor=alice, breath=breath, connection_id=with_bob.id)
    with pytest.raises(Http404):
        shared_breath_join(viewer=mallory, breath=seen_by_mallory)
    breath.refresh_from_db()
    assert (breath.guest_id, breath.invitee_id) == (None, bob.pk)


def test_the_database_refuses_a_guest_other_than_the_invitee(
    alice: User, bob: User, mallory: User
) -> None:
    breath, _token = shared_breath_start(host=alice, minutes=15)
    SharedBreath.objects.filter(id=breath.id).update(invitee=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        SharedBreath.objects.filter(id=breath.id).update(guest=mallory)


def test_an_invitation_expires_with_its_session(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    with_bob = connect(alice, bob)
    breath, token = shared_breath_start(host=alice, minutes=5)
    _invite(alice, with_bob.id, token, django_capture_on_commit_callbacks)
    SharedBreath.objects.filter(id=breath.id).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client_for(bob).get(f"/practices/together/{breath.id}/").status_code == 410


def test_the_hosts_page_looks_up_connections_only_while_it_can_offer_them_the_seat(
    alice: User, bob: User, carol: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tend.practices import together_views

    connect(alice, carol, kind="friend")
    looked_up: list[User] = []
    real = together_views._invitees

    def counting(user: User) -> list[dict[str, Any]]:
        looked_up.append(user)
        return real(user)

    monkeypatch.setattr(together_views, "_invitees", counting)
    breath, token = shared_breath_start(host=alice, minutes=15)
    page = f"/practices/together/{token}/"
    free = client_for(alice).get(page)
    assert free.status_code == 200 and b"together-invitees" in free.content
    assert looked_up == [alice]

    shared_breath_join(viewer=bob, breath=breath)
    taken = client_for(alice).get(page)
    assert taken.status_code == 200 and b"together-invitees" not in taken.content
    assert looked_up == [alice]
