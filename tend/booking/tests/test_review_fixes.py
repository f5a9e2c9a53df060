"""Review defects: enumeration by email, header injection by name, a move racing a cancel."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from tend.accounts.models import User
from tend.booking import reminders, services
from tend.booking.models import Booking, CallType, DateOverride
from tend.booking.services import MAX_OPEN_PER_EMAIL, booking_reschedule
from tend.booking.tests.factories import (
    book,
    days_ahead,
    default_call,
    iso,
    local,
    page_form,
    practitioner,
)
from tend.conftest import client_for


@pytest.fixture
def call(carol: User) -> CallType:
    practitioner(carol, slug="carol")
    return default_call(carol)


def _api_book(call: CallType, start: dt.datetime, **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "start": iso(start),
        "name": "Robin",
        "email": "robin@example.test",
        "zone": "America/New_York",
        "intake": {"relationship": "open", "what_brings": "Something"},
        "consents": [],
    }
    body.update(overrides)
    return Client().post(
        f"/api/v1/booking/practitioners/carol/call-types/{call.id}/bookings",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_a_capped_address_is_refused_without_saying_it_has_bookings(call: CallType) -> None:
    day = days_ahead()
    for n in range(MAX_OPEN_PER_EMAIL):
        book(call, local(day, 10 + n), email="sam@example.test")
    page = Client().post(f"/book/carol/{call.id}/details/", page_form(local(day, 15)))
    html = page.content.decode()
    assert page.status_code == 400
    assert "We couldn&#x27;t book this time for that email address." in html
    assert "already has" not in html and f"{MAX_OPEN_PER_EMAIL} calls" not in html
    api = _api_book(call, local(day, 15), email="sam@example.test")
    assert api.status_code == 422
    text = json.dumps(api.json())
    assert "We couldn't book this time for that email address." in text
    assert "already has" not in text and f"{MAX_OPEN_PER_EMAIL} calls" not in text
    assert Booking.objects.count() == MAX_OPEN_PER_EMAIL


def test_a_name_with_a_line_break_is_refused_and_kept_as_typed(call: CallType) -> None:
    start = local(days_ahead(), 10)
    with pytest.raises(ValidationError) as refused:
        book(call, start, name="Alex\r\nBcc: x@example.test")
    assert "name" in refused.value.message_dict
    page = Client().post(f"/book/carol/{call.id}/details/", page_form(start, name="Alex\r\nX"))
    html = page.content.decode()
    assert page.status_code == 400
    assert "Write your name on one line" in html
    assert "Alex" in html  # what was typed is still in the form
    api = _api_book(call, start, name="Alex\r\nX")
    assert api.status_code == 422
    assert "Write your name on one line" in json.dumps(api.json())
    assert not Booking.objects.exists()


def test_subjects_built_from_a_stored_name_never_hold_a_line_break(
    carol: User, call: CallType, django_capture_on_commit_callbacks: Any
) -> None:
    start = local(days_ahead(), 10)
    booking, _secret = book(call, start, name="Alex")
    # A name stored before names were checked.
    booking.booker_name = "Alex\r\nBcc: x@example.test"
    booking.save(update_fields=["booker_name"])
    mail.outbox.clear()
    counts = reminders.deliver_due(now=start - dt.timedelta(minutes=30))
    assert counts == {"sent": 4}
    to_carol = [m for m in mail.outbox if m.to == [carol.email]]
    assert to_carol and all("\n" not in m.subject and "\r" not in m.subject for m in to_carol)
    assert all(m.message() for m in mail.outbox)  # no BadHeaderError
    mail.outbox.clear()
    booking.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(booking=booking, start=local(days_ahead(), 14), by="practitioner")
    assert mail.outbox and all("\n" not in m.subject for m in mail.outbox)


@pytest.mark.parametrize("by", ["booker", "practitioner"])
def test_a_cancel_committed_during_a_move_is_not_revived(
    call: CallType,
    monkeypatch: pytest.MonkeyPatch,
    by: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    day = days_ahead()
    booking, _secret = book(call, local(day, 10))
    real_check = services._slot_check

    def cancel_meanwhile(**kwargs: Any) -> str | None:
        # The cancel takes no profile lock: it lands between the move's check and its UPDATE.
        Booking.objects.filter(id=booking.id).update(status=Booking.Status.CANCELLED)
        return real_check(**kwargs)

    monkeypatch.setattr(services, "_slot_check", cancel_meanwhile)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="can no longer be moved"),
    ):
        booking_reschedule(booking=booking, start=local(day, 14), by=by)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.start == local(day, 10)
    assert mail.outbox == []


def test_two_moves_through_one_link_do_not_both_win(
    call: CallType, django_capture_on_commit_callbacks: Any
) -> None:
    day = days_ahead()
    booking, _secret = book(call, local(day, 10))
    stale = Booking.objects.get(id=booking.id)
    booking_reschedule(booking=booking, start=local(day, 14), by="booker")
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="can no longer be moved"),
    ):
        booking_reschedule(booking=stale, start=local(day, 15), by="booker")
    assert Booking.objects.get(id=booking.id).start == local(day, 14)
    assert mail.outbox == []


def test_todays_override_follows_the_profiles_zone_not_the_accounts(carol: User) -> None:
    # 20:00 UTC on 10 June: 22:00 on the 10th in Berlin (the profile), but already 10:00 on
    # the 11th on Kiritimati (the account).
    with time_machine.travel(dt.datetime(2026, 6, 10, 20, 0, tzinfo=dt.UTC), tick=False):
        practitioner(carol)  # Europe/Berlin
        carol.time_zone = "Pacific/Kiritimati"
        carol.save(update_fields=["time_zone"])
        DateOverride.objects.create(practitioner=carol, date=dt.date(2026, 6, 10))
        html = client_for(carol).get("/booking/hours/").content.decode()
    assert "Wednesday 10 June 2026: day off" in html


def test_a_worker_slower_than_the_lease_does_not_send_what_another_claimed(
    call: CallType,
) -> None:
    start = local(days_ahead(), 10)
    book(call, start)
    due = start - dt.timedelta(minutes=30)
    batch = reminders.claim_batch(now=due)
    assert batch
    # The lease runs out and another worker claims the same rows with its own token.
    later = due + reminders.LEASE + dt.timedelta(minutes=1)
    assert reminders.claim_batch(now=later)
    mail.outbox.clear()
    assert {reminders.deliver_one(r, now=due) for r in batch} == {"lost"}
    assert mail.outbox == []
