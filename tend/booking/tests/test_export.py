"""The booking section of "download your data": the practitioner's offer, photo and calls."""

from __future__ import annotations

import base64

from django.core.files.uploadedfile import SimpleUploadedFile

from tend.accounts.models import User
from tend.accounts.services import account_export
from tend.booking.models import PractitionerPhoto
from tend.booking.tests.factories import INTAKE, book, days_ahead, default_call, local, practitioner
from tend.booking.tests.test_photo import _form, _jpeg_with_exif
from tend.conftest import client_for


def test_a_practitioners_export_holds_their_profile_photo_call_types_and_bookings(
    carol: User,
) -> None:
    profile = practitioner(carol)
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    assert client_for(carol).post("/booking/", _form(profile, photo=upload)).status_code == 302
    call = default_call(carol)
    start = local(days_ahead(), 10)
    book(call, start, name="Sam", intake={**INTAKE, "what_brings": "Words Sam typed"})

    section = account_export(user=carol)["booking"]

    assert section["profile"]["public_name"] == "Carol Typed"
    assert section["profile"]["bio"] == "A bio that was typed"
    photo = section["profile"]["photo"]
    stored = PractitionerPhoto.objects.get(profile=profile)
    assert base64.b64decode(photo["base64"]) == bytes(stored.data)
    assert (photo["width"], photo["height"]) == (512, 384)
    assert [c["name"] for c in section["call_types"]] == [call.name]
    [booking] = section["bookings"]
    assert booking["booker_name"] == "Sam"
    assert booking["start"] == start.isoformat()
    assert booking["intake"]["what_brings"] == "Words Sam typed"


def test_an_export_without_an_offer_has_no_booking_section_and_never_another_practitioners(
    alice: User, carol: User
) -> None:
    practitioner(carol)
    book(default_call(carol), local(days_ahead(), 10))
    assert account_export(user=alice)["booking"] is None
