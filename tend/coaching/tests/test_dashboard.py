"""The practice dashboard: counts since the last look, never content, and one notice at most."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import TestCase

from tend.accounts.models import User
from tend.booking.models import Booking
from tend.booking.services import booking_cancel
from tend.booking.tests.factories import book, days_ahead, default_call, local, practitioner
from tend.coaching.dashboard import counted_words, dashboard_seen, practice_counts
from tend.coaching.tests.factories import call_booked, filled, handed_over, send
from tend.conftest import client_for
from tend.connections.share_services import share_revoke
from tend.connections.tests.factories import connect, share
from tend.notifications.models import Notification

CANARY = "CANARY-dashboard-51aa"


def _booked(carol: User, day: int, hour: int, email: str = "") -> Booking:
    # A different person each time: booking limits the open calls of one address.
    email = email or f"person-{day}-{hour}@example.test"
    with TestCase.captureOnCommitCallbacks(execute=True):
        booking, _secret = book(default_call(carol), local(days_ahead(day), hour), email=email)
    return booking


def test_an_empty_practice_says_so_in_plain_words(carol: User) -> None:
    counts = practice_counts(viewer=carol)
    assert counts.nothing_yet and counts.since is None and counts.next_call is None
    page = client_for(carol).get("/coaching/")
    assert page.status_code == 200
    assert "Nothing waits for you yet." in page.content.decode()


def test_it_counts_calls_ahead_and_new_bookings_since_the_last_look(carol: User) -> None:
    practitioner(carol)
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        first = _booked(carol, 2, 10)
        _booked(carol, 9, 10)  # ahead, but not within the next 7 days
        counts = practice_counts(viewer=carol)
        assert (counts.upcoming, counts.new_bookings) == (1, 2)
        assert counts.next_call == first
        dashboard_seen(actor=carol)
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        assert practice_counts(viewer=carol).new_bookings == 0
        later = _booked(carol, 3, 11)
        _booked(carol, 4, 11)
        counts = practice_counts(viewer=carol)
        assert (counts.upcoming, counts.new_bookings) == (3, 2)
        # A cancelled booking is nothing to review.
        booking_cancel(booking=later, by="booker")
        counts = practice_counts(viewer=carol)
        assert (counts.upcoming, counts.new_bookings) == (2, 1)
        page = client_for(carol).get("/coaching/").content.decode()
        assert "1 new booking to review" in page and "2 calls in the next 7 days" in page
        assert 'href="/booking/calls/"' in page
        # Opening the page was a look.
        assert practice_counts(viewer=carol).new_bookings == 0


def test_clients_who_shared_something_new_are_counted_by_name_never_by_content(
    carol: User, alice: User, bob: User
) -> None:
    booking = call_booked(carol, email=alice.email)
    handover, connection = handed_over(carol, alice, filled(carol, booking, words=CANARY))
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        dashboard_seen(actor=carol)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        assert practice_counts(viewer=carol).shared == []
        granted = share(alice, connection, "trigger_map", note=CANARY)
        share(alice, connection, "weekly_summary")
        # Bob's share with alice's partner connection is nothing of carol's.
        share(bob, connect(bob, carol), "trigger_map")
        counts = practice_counts(viewer=carol)
        assert [(s.connection, s.name) for s in counts.shared] == [(connection.id, "Alice")]
        page = client_for(carol).get("/coaching/").content.decode()
        assert f'href="/coaching/clients/{connection.id}/"' in page and "Alice" in page
        assert CANARY not in page and "Trigger map" not in page
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        # Revoked before the look: not new any more.
        share_revoke(actor=alice, share=granted)
        assert practice_counts(viewer=carol).shared == []
    assert handover.invitation.accepted_at is not None


def test_handed_over_maps_waiting_for_an_answer_are_counted(carol: User) -> None:
    booking = call_booked(carol, email="zoe@example.test")
    send(carol, filled(carol, booking))
    assert practice_counts(viewer=carol).waiting_maps == 1


def test_a_new_booking_raises_one_in_app_notice_in_counts_until_carol_looks(
    carol: User, alice: User
) -> None:
    practitioner(carol)
    _booked(carol, 2, 10)
    _booked(carol, 2, 12)
    (notice,) = Notification.objects.filter(recipient=carol, code="coaching.dashboard")
    assert notice.link == "/coaching/" and notice.read_at is None
    # No email or push of its own: booking emails the practitioner already (one per booking).
    assert not carol.reminders.filter(code="coaching.dashboard").exists()  # type: ignore[attr-defined]
    assert counted_words(carol) == "2 new bookings. See your practice dashboard."
    listed = client_for(carol).get("/notifications/").content.decode()
    assert "2 new bookings. See your practice dashboard." in listed
    api = client_for(carol).get("/api/v1/notifications").json()
    assert api["items"][0]["message"] == "2 new bookings. See your practice dashboard."
    client_for(carol).get("/coaching/")
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Read, it keeps its plain words; a new booking raises a new one.
    listed = client_for(carol).get("/notifications/").content.decode()
    assert "There is something new on your practice dashboard." in listed
    _booked(carol, 3, 10)
    assert Notification.objects.filter(recipient=carol, read_at__isnull=True).count() == 1


def test_a_clients_share_keeps_its_own_notice_and_adds_no_second_one(
    carol: User, alice: User
) -> None:
    booking = call_booked(carol, email=alice.email)
    _handover, connection = handed_over(carol, alice, filled(carol, booking))
    dashboard_seen(actor=carol)
    Notification.objects.all().delete()
    share(alice, connection, "trigger_map")
    assert not Notification.objects.filter(recipient=carol, code="coaching.dashboard").exists()
    assert carol.reminders.filter(code="share.new").count() == 1  # type: ignore[attr-defined]


def test_the_counted_words_name_shares_too(carol: User, alice: User) -> None:
    booking = call_booked(carol, email=alice.email)
    _handover, connection = handed_over(carol, alice, filled(carol, booking))
    dashboard_seen(actor=carol)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5), tick=False):
        share(alice, connection, "trigger_map")
        _booked(carol, 3, 10, email="zoe@example.test")
        assert counted_words(carol) == (
            "1 new booking, 1 client shared something. See your practice dashboard."
        )


def test_the_api_reads_the_counts_without_recording_a_look(carol: User) -> None:
    practitioner(carol)
    _booked(carol, 2, 10)
    body = client_for(carol).get("/api/v1/coaching/dashboard").json()
    assert body["upcoming"] == 1 and body["new_bookings"] == 1 and body["since"] is None
    assert client_for(carol).get("/api/v1/coaching/dashboard").json()["new_bookings"] == 1
    assert client_for(carol).post("/api/v1/coaching/dashboard/seen").status_code == 204
    assert client_for(carol).get("/api/v1/coaching/dashboard").json()["new_bookings"] == 0
