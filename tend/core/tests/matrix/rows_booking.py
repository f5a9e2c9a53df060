"""Booking: the practitioner's own pages, the public page, and the booking API."""

from __future__ import annotations

from tend.core.tests.matrix.base import (
    API_ALICES,
    API_OWN,
    BOOKING_LONG_PAST,
    OTHERS,
    Row,
    owned,
    page,
    public,
    redirect,
)

BOOKING: list[Row] = [
    # --- Booking: the practitioner's own pages (alice offers calls; nobody else does) ------
    Row("booking/", "GET", "/booking/", page()),
    # A profile that does not validate is shown again; without a profile there is none to edit.
    Row(
        "booking/",
        "POST",
        "/booking/",
        owned(alice=400),
        data={"action": "profile", "slug": "Not a slug!"},
    ),
    Row(
        "booking/call-types/new/",
        "GET",
        "/booking/call-types/new/",
        owned(others=redirect("/booking/")),
    ),
    Row(
        "booking/call-types/<uuid:id>/",
        "GET",
        "/booking/call-types/{booking_call_type}/",
        owned(),
    ),
    Row(
        "booking/call-types/<uuid:id>/archive/",
        "POST",
        "/booking/call-types/{booking_spare_call_type}/archive/",
        owned(alice=redirect("/booking/")),
    ),
    Row("booking/hours/", "GET", "/booking/hours/", owned(others=redirect("/booking/"))),
    Row(
        "booking/hours/overrides/",
        "POST",
        "/booking/hours/overrides/",
        owned(alice=400, others=redirect("/booking/")),
        data={"date": "not a date"},
    ),
    Row(
        "booking/hours/overrides/remove/",
        "POST",
        "/booking/hours/overrides/remove/",
        page(signed_in=redirect("/booking/hours/")),
        data={"date": "2030-01-01"},
    ),
    # An address that is not http(s) is refused before anything is stored or fetched.
    Row(
        "booking/calendar/",
        "POST",
        "/booking/calendar/",
        owned(alice=redirect("/booking/hours/"), others=redirect("/booking/")),
        data={"url": "file:///etc/passwd"},
    ),
    Row(
        "booking/calendar/remove/",
        "POST",
        "/booking/calendar/remove/",
        page(signed_in=redirect("/booking/hours/")),
    ),
    # Each practitioner's calls are their own; alice's call (and its intake) is hers alone.
    Row("booking/calls/", "GET", "/booking/calls/", page()),
    Row("booking/calls/", "GET", "/booking/calls/?when=past&status=attended", page()),
    Row("booking/calls/<uuid:id>/", "GET", "/booking/calls/{booking_id}/", owned()),
    Row(
        "booking/calls/<uuid:id>/notes/",
        "POST",
        "/booking/calls/{booking_id}/notes/",
        owned(alice=redirect("/booking/calls/")),
        data={"notes": "a note"},
    ),
    # A call that has not started yet cannot be marked: alice is told so on her call's page.
    Row(
        "booking/calls/<uuid:id>/mark/",
        "POST",
        "/booking/calls/{booking_id}/mark/",
        owned(alice=redirect("/booking/calls/")),
        data={"status": "attended"},
    ),
    Row("booking/calls/<uuid:id>/move/", "GET", "/booking/calls/{booking_id}/move/", owned()),
    Row(
        "booking/calls/<uuid:id>/move/",
        "POST",
        "/booking/calls/{booking_id}/move/",
        owned(alice=409),
        data={"start": "not a time"},
    ),
    Row(
        "booking/calls/<uuid:id>/cancel/",
        "POST",
        "/booking/calls/{booking_spare_id}/cancel/",
        owned(alice=redirect("/booking/calls/")),
    ),
    # --- Booking: the public page, for anyone; a page that is off is a 404 like no page ---
    Row("book/<slug:slug>/", "GET", "/book/alice-calls/", public()),
    Row("book/<slug:slug>/", "GET", "/book/frances-calls/", public(404)),
    Row("book/<slug:slug>/", "GET", "/book/nobody-here/", public(404)),
    # The photo is as public as the page: gone with it when the page is off.
    Row("book/<slug:slug>/photo.jpg", "GET", "/book/alice-calls/photo.jpg", public()),
    Row("book/<slug:slug>/photo.jpg", "GET", "/book/frances-calls/photo.jpg", public(404)),
    Row("book/<slug:slug>/photo.jpg", "GET", "/book/nobody-here/photo.jpg", public(404)),
    Row(
        "book/<slug:slug>/<uuid:id>/",
        "GET",
        "/book/alice-calls/{booking_call_type}/?zone=America/New_York",
        public(),
    ),
    Row(
        "book/<slug:slug>/<uuid:id>/details/",
        "GET",
        "/book/alice-calls/{booking_call_type}/details/?start={booking_start}",
        public(),
    ),
    # Nothing ticked or typed: the form says what to fix and nothing is booked.
    Row(
        "book/<slug:slug>/<uuid:id>/details/",
        "POST",
        "/book/alice-calls/{booking_call_type}/details/?start={booking_start}",
        public(400),
        data={"zone": "America/New_York"},
    ),
    # The manage link opens its one booking for anyone holding it; a forged one is a 404.
    Row("book/manage/<str:secret>/", "GET", "/book/manage/{booking_secret}/", public()),
    Row("book/manage/<str:secret>/", "GET", "/book/manage/forged-secret-1234/", public(404)),
    Row("book/manage/<str:secret>/move/", "GET", "/book/manage/{booking_secret}/move/", public()),
    # No time chosen: the free times are shown again with what to do.
    Row(
        "book/manage/<str:secret>/move/",
        "POST",
        "/book/manage/{booking_secret}/move/",
        public(409),
        data={"start": "not a time"},
    ),
    # --- Booking API: public (no token), by the manage secret (a header), the practitioner's ---
    Row(
        "api/v1/booking/practitioners/<slug>",
        "GET",
        "/api/v1/booking/practitioners/alice-calls",
        public(),
    ),
    Row(
        "api/v1/booking/practitioners/<slug>",
        "GET",
        "/api/v1/booking/practitioners/frances-calls",
        public(404),
    ),
    Row(
        "api/v1/booking/practitioners/<slug>",
        "GET",
        "/api/v1/booking/practitioners/nobody-here",
        public(404),
    ),
    Row(
        "api/v1/booking/practitioners/<slug>/call-types/<call_type_id>/slots",
        "GET",
        "/api/v1/booking/practitioners/alice-calls/call-types/{booking_call_type}/slots"
        "?zone=America/New_York&start={booking_start}&end={booking_window_end}",
        public(),
    ),
    Row(
        "api/v1/booking/practitioners/<slug>/call-types/<call_type_id>/slots",
        "GET",
        "/api/v1/booking/practitioners/alice-calls/call-types/{booking_call_type}/slots"
        "?zone=Mars/Olympus&start={booking_start}&end={booking_window_end}",
        public(422),
    ),
    # A time long past: refused with the nearest free times, and nothing is booked.
    Row(
        "api/v1/booking/practitioners/<slug>/call-types/<call_type_id>/bookings",
        "POST",
        "/api/v1/booking/practitioners/alice-calls/call-types/{booking_call_type}/bookings",
        public(422),
        data=BOOKING_LONG_PAST,
        json=True,
    ),
    Row(
        "api/v1/booking/practitioners/<slug>/call-types/<call_type_id>/bookings",
        "POST",
        "/api/v1/booking/practitioners/frances-calls/call-types/{booking_call_type}/bookings",
        public(404),
        data=BOOKING_LONG_PAST,
        json=True,
    ),
    Row(
        "api/v1/booking/manage",
        "GET",
        "/api/v1/booking/manage",
        public(),
        headers={"HTTP_BOOKING_SECRET": "{booking_secret}"},
    ),
    Row(
        "api/v1/booking/manage",
        "GET",
        "/api/v1/booking/manage",
        public(404),
        headers={"HTTP_BOOKING_SECRET": "forged-secret-1234"},
    ),
    Row(
        "api/v1/booking/manage/slots",
        "GET",
        "/api/v1/booking/manage/slots?zone=UTC&start={booking_start}&end={booking_window_end}",
        public(),
        headers={"HTTP_BOOKING_SECRET": "{booking_secret}"},
    ),
    Row(
        "api/v1/booking/manage/slots",
        "GET",
        "/api/v1/booking/manage/slots?zone=UTC&start={booking_start}&end={booking_window_end}",
        public(404),
        headers={"HTTP_BOOKING_SECRET": "forged-secret-1234"},
    ),
    Row(
        "api/v1/booking/manage/move",
        "POST",
        "/api/v1/booking/manage/move",
        public(422),
        data={"start": "2020-01-07T10:00:00Z"},
        json=True,
        headers={"HTTP_BOOKING_SECRET": "{booking_secret}"},
    ),
    Row(
        "api/v1/booking/manage/move",
        "POST",
        "/api/v1/booking/manage/move",
        public(404),
        data={"start": "2020-01-07T10:00:00Z"},
        json=True,
        headers={"HTTP_BOOKING_SECRET": "forged-secret-1234"},
    ),
    Row(
        "api/v1/booking/manage/cancel",
        "POST",
        "/api/v1/booking/manage/cancel",
        public(404),
        json=True,
        headers={"HTTP_BOOKING_SECRET": "forged-secret-1234"},
    ),
    Row(
        "api/v1/booking/manage/cancel",
        "POST",
        "/api/v1/booking/manage/cancel",
        public(204),
        json=True,
        headers={"HTTP_BOOKING_SECRET": "{booking_api_secret}"},
    ),
    Row("api/v1/booking/calls", "GET", "/api/v1/booking/calls", API_OWN),
    Row("api/v1/booking/calls", "GET", "/api/v1/booking/calls?when=past&status=attended", API_OWN),
    Row(
        "api/v1/booking/calls/<booking_id>", "GET", "/api/v1/booking/calls/{booking_id}", API_ALICES
    ),
    # Not started yet: alice is told she can mark it once it has.
    Row(
        "api/v1/booking/calls/<booking_id>/mark",
        "POST",
        "/api/v1/booking/calls/{booking_id}/mark",
        {"anonymous": 401, "alice": 422, **dict.fromkeys(OTHERS, 404)},
        data={"status": "attended"},
        json=True,
    ),
    Row(
        "api/v1/booking/calls/<booking_id>/move",
        "POST",
        "/api/v1/booking/calls/{booking_id}/move",
        {"anonymous": 401, "alice": 422, **dict.fromkeys(OTHERS, 404)},
        data={"start": "2020-01-07T10:00:00Z"},
        json=True,
    ),
    Row(
        "api/v1/booking/calls/<booking_id>/notes",
        "PUT",
        "/api/v1/booking/calls/{booking_id}/notes",
        API_ALICES,
        data={"notes": "Ask about the weekend."},
        json=True,
    ),
    Row(
        "api/v1/booking/calls/<booking_id>/cancel",
        "POST",
        "/api/v1/booking/calls/{booking_api_call_id}/cancel",
        API_ALICES,
        data={"reason": "Ill"},
        json=True,
    ),
    Row(
        "book/manage/<str:secret>/cancel/",
        "POST",
        "/book/manage/forged-secret-1234/cancel/",
        public(404),
    ),
    Row(
        "book/manage/<str:secret>/cancel/",
        "POST",
        "/book/manage/{booking_secret}/cancel/",
        public(),
    ),
]
