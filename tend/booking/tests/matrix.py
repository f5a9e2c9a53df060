"""Alice's booking things for the authorization matrix in tend/core/tests."""

from __future__ import annotations

import datetime as dt

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.booking.models import Booking
from tend.booking.photos import Photo
from tend.booking.services import call_type_save, override_set, photo_set, profile_turn_off
from tend.booking.tests.factories import book, days_ahead, default_call, local, practitioner


def booking_things(alice: User, canary: str) -> dict[str, str]:
    """Alice offers calls (slug alice-calls) and has one booking whose intake and notes hold the
    canary, and three more (to cancel); a spare call type to archive; a date override; and
    Frances, whose page is off."""
    profile = practitioner(alice, slug="alice-calls")
    photo_set(actor=alice, profile=profile, photo=Photo(b"\xff\xd8 a photo", 1, 1))
    call = default_call(alice)
    spare = call_type_save(actor=alice, name="Spare call", duration_minutes=60)
    day = days_ahead()
    booking, secret = book(
        call, local(day, 10), intake={"relationship": "open", "what_brings": canary}
    )
    booking.notes = canary
    booking.save()
    spare_booking, _spare_secret = book(
        call,
        local(day, 12),
        email="spare@example.test",
        intake={"relationship": "open", "what_brings": canary},
    )
    # Two more for the API's rows: one the booker cancels by its secret, one alice cancels.
    _api_booking, api_secret = book(call, local(day, 14), email="api@example.test")
    api_call, _api_call_secret = book(call, local(day, 15), email="api-call@example.test")
    override_set(actor=alice, date=day + dt.timedelta(days=1), ranges=[])
    frances = UserFactory(display_name="Frances")
    practitioner(frances, slug="frances-calls")
    profile_turn_off(actor=frances)
    assert Booking.objects.filter(practitioner=alice).count() == 4
    return {
        "booking_call_type": str(call.id),
        "booking_secret": secret,
        "booking_id": str(booking.id),
        "booking_spare_id": str(spare_booking.id),
        "booking_spare_call_type": str(spare.id),
        "booking_start": local(day, 11).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "booking_window_end": local(day, 18).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "booking_api_secret": api_secret,
        "booking_api_call_id": str(api_call.id),
    }
