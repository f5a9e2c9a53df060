from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from tend.accounts.models import User
from tend.connections import selectors
from tend.connections.models import Connection, Invitation, Share
from tend.connections.safety import registered_steps
from tend.connections.services import (
    connection_end,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    safety_check_run,
)
from tend.connections.share_services import share_revoke
from tend.connections.signals import connection_ended
from tend.connections.tests.factories import connect, share
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def test_an_invitation_is_stored_only_as_a_hash_and_works_once(
    alice: User, bob: User, carol: User
) -> None:
    invitation, secret = invitation_create(actor=alice, kind="partner")
    assert secret not in invitation.token_hash
    assert len(secret) > 40
    connection = invitation_accept(actor=bob, secret=secret)
    assert selectors.are_connected(alice, bob)
    assert connection.kind == "partner"
    with pytest.raises(Http404):
        invitation_accept(actor=carol, secret=secret)


def test_an_expired_or_revoked_invitation_cannot_be_accepted(alice: User, bob: User) -> None:
    invitation, secret = invitation_create(actor=alice, kind="friend")
    Invitation.objects.filter(id=invitation.id).update(expires_at=timezone.now())
    with pytest.raises(Http404):
        invitation_accept(actor=bob, secret=secret)
    invitation, secret = invitation_create(actor=alice, kind="friend")
    invitation_revoke(actor=alice, invitation=invitation)
    with pytest.raises(Http404):
        invitation_accept(actor=bob, secret=secret)


def test_an_invitation_lasts_seven_days_at_most(alice: User) -> None:
    with pytest.raises(ValidationError):
        invitation_create(actor=alice, kind="friend", days=8)


def test_one_cannot_accept_ones_own_invitation(alice: User) -> None:
    _invitation, secret = invitation_create(actor=alice, kind="partner")
    with pytest.raises(ValidationError):
        invitation_accept(actor=alice, secret=secret)


def test_the_invitation_email_names_nobody(
    alice: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation_create(actor=alice, kind="nesting_partner", email="sam@example.test")
    [message] = mail.outbox
    text = message.subject + message.body
    assert "Alice" not in text and "alice@" not in text and "esting" not in text
    assert "/connections/join/?t=inv_" in message.body


def test_a_theme_share_shows_its_moments_including_later_ones(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    theme = Theme.objects.create(owner=alice, name="date nights")
    first = MomentFactory(author=alice, theme=theme)
    MomentFactory(author=alice)  # not in the theme
    share(alice, connection, "theme", theme_id=theme.id)
    later = MomentFactory(author=alice, theme=theme)
    visible = set(selectors.shared_moments_visible_to(viewer=bob, owner=alice))
    assert visible == {first, later}


def test_revoking_expiring_or_ending_hides_the_share_at_once(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    moment = MomentFactory(author=alice)
    s = share(alice, connection, "moment", moment_id=moment.id)
    assert selectors.shared_moment_visible_to(viewer=bob, id=moment.id) == moment
    share_revoke(actor=alice, share=s)
    with pytest.raises(Http404):
        selectors.shared_moment_visible_to(viewer=bob, id=moment.id)

    s = share(alice, connection, "moment", moment_id=moment.id)
    Share.objects.filter(id=s.id).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(Http404):
        selectors.share_visible_to(viewer=bob, id=s.id)

    s = share(alice, connection, "moment", moment_id=moment.id)
    connection_end(actor=bob, connection=connection)
    with pytest.raises(Http404):
        selectors.share_visible_to(viewer=bob, id=s.id)
    assert Share.objects.get(id=s.id).revoked_at is not None


def test_a_deleted_moment_leaves_shared_with_me_at_once_and_undo_brings_it_back(
    alice: User, bob: User
) -> None:
    from tend.journal.services import moment_delete, moment_restore

    connection = connect(alice, bob)
    moment = MomentFactory(author=alice)
    s = share(alice, connection, "moment", moment_id=moment.id)
    moment_delete(actor=alice, moment=moment)
    assert not selectors.shares_visible_to(viewer=bob).filter(id=s.id).exists()
    with pytest.raises(Http404):
        selectors.share_visible_to(viewer=bob, id=s.id)
    moment_restore(actor=alice, moment=moment)
    assert selectors.share_visible_to(viewer=bob, id=s.id) == s


def test_ending_quietly_leaves_the_other_without_notice(
    alice: User, bob: User, django_capture_on_commit_callbacks: object
) -> None:
    connection = connect(alice, bob)
    heard: list[object] = []

    def listener(**kwargs: object) -> None:
        heard.append(kwargs["connection"])

    connection_ended.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            connection_end(actor=alice, connection=connection, quietly=True)
    finally:
        connection_ended.disconnect(listener)
    assert mail.outbox == []
    assert heard == [connection]
    assert list(selectors.ended_connections_of(viewer=bob)) == []
    assert list(selectors.ended_connections_of(viewer=alice)) == [connection]


def test_ending_openly_sends_a_content_free_notice(
    alice: User, bob: User, django_capture_on_commit_callbacks: object
) -> None:
    connection = connect(alice, bob)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        connection_end(actor=alice, connection=connection)
    [message] = mail.outbox
    assert message.to == ["bob@example.test"]
    assert "Alice" not in message.subject + message.body
    assert list(selectors.ended_connections_of(viewer=bob)) == [connection]


def test_safety_check_cuts_every_tie_and_counts(alice: User, bob: User, carol: User) -> None:
    with_bob = connect(alice, bob)
    with_carol = connect(carol, alice, kind="practitioner")
    theme = Theme.objects.create(owner=alice, name="x")
    share(alice, with_bob, "theme", theme_id=theme.id)
    share(alice, with_carol, "weekly_summary")
    share(bob, with_bob, "trigger_map")
    invitation_create(actor=alice, kind="friend")
    counts = safety_check_run(actor=alice)
    assert counts["shares_revoked"] == 2
    assert counts["invitations_revoked"] == 1
    assert counts["connections_ended"] == 2
    assert not Connection.objects.filter(status="active").exists()
    assert not Share.objects.filter(revoked_at__isnull=True).exists()
    assert {"shares_revoked", "connections_ended", "api_tokens_revoked"} <= set(registered_steps())


def test_the_polycule_shows_metamours_only_where_both_consent(
    alice: User, bob: User, carol: User
) -> None:
    from tend.connections.services import polycule_setting_update

    connect(alice, bob)
    connect(bob, carol, kind="date")
    names = lambda: {n.name for n in selectors.polycule_of(viewer=alice).nodes}  # noqa: E731
    assert names() == {"Bob"}
    polycule_setting_update(actor=carol, appear_to_metamours="name", show_my_connections=False)
    assert names() == {"Bob"}
    polycule_setting_update(actor=bob, appear_to_metamours="hidden", show_my_connections=True)
    [far] = [n for n in selectors.polycule_of(viewer=alice).nodes if n.via]
    assert (far.name, far.kind) == ("Carol", "")
    polycule_setting_update(
        actor=carol, appear_to_metamours="name_and_kind", show_my_connections=False
    )
    [far] = [n for n in selectors.polycule_of(viewer=alice).nodes if n.via]
    assert far.kind == "Date"


def test_the_export_holds_ones_own_side_only(alice: User, bob: User) -> None:
    from tend.connections.export import export_connections
    from tend.connections.services import connection_label_set

    connection = connect(alice, bob)
    connection_label_set(actor=alice, connection=connection, label="my love")
    connection_label_set(actor=bob, connection=connection, label="BOBS-private-label")
    share(alice, connection, "weekly_summary", note="for you")
    share(bob, connection, "trigger_map", note="BOBS-note")
    exported = export_connections(alice)
    text = str(exported)
    assert exported["connections"][0]["my_label"] == "my love"
    assert [s["note"] for s in exported["shares_i_made"]] == ["for you"]
    assert "BOBS" not in text


def test_safety_check_ends_other_sessions_and_keeps_this_one(alice: User) -> None:
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for _ in range(3):
        store = SessionStore()
        store["_auth_user_id"] = str(alice.pk)
        store.create()
        UserSession.objects.create(user=alice, ip="127.0.0.1", session_key=store.session_key)
        keys.append(store.session_key)
    counts = safety_check_run(actor=alice, keep_session_key=keys[0])
    assert counts["sessions_ended"] == 2
    assert list(UserSession.objects.filter(user=alice).values_list("session_key", flat=True)) == [
        keys[0]
    ]
    assert SessionStore().exists(keys[0]) and not SessionStore().exists(keys[1])


def test_safety_check_is_one_transaction_a_failing_step_changes_nothing(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tend.connections import safety

    connection = connect(alice, bob)
    share(alice, connection, "trigger_map")

    def broken(*, user: User) -> int:
        raise RuntimeError("step failed")

    monkeypatch.setitem(safety._STEPS, "broken", broken)
    with pytest.raises(RuntimeError):
        safety_check_run(actor=alice)
    assert Connection.objects.get(id=connection.id).status == "active"
    assert Share.objects.get().revoked_at is None


def test_other_apps_steps_run_with_the_person_and_are_counted(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tend.connections import safety

    seen: list[User] = []

    def step(*, user: User) -> int:
        seen.append(user)
        return 7

    monkeypatch.setitem(safety._STEPS, "bench_feeds_rotated", step)
    counts = safety_check_run(actor=alice)
    assert seen == [alice] and counts["bench_feeds_rotated"] == 7
