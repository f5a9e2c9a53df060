"""The rows of tend/core/tests/test_authorization_matrix.py: every route, as each persona.

A data table, one section per part of Tend (``base`` has the personas, ``Row`` and the usual
expectations). ``TABLE`` in the test joins the lists in the order they run: some rows change
what a later row finds.
"""

from __future__ import annotations

from tend.core.tests.matrix.base import (
    API_ALICES,
    API_OWN,
    BOOKING_LONG_PAST,
    CANARY,
    HOME,
    LOGIN,
    OTHERS,
    Row,
    entrance,
    owned,
    page,
    public,
    redirect,
)

# --- The shell and allauth's pages: entrances, and managing one's own account.

SHELL_AND_ACCOUNTS: list[Row] = [
    # --- The shell -----------------------------------------------------------------------
    Row("", "GET", "/", {"anonymous": 200, **dict.fromkeys(("alice", *OTHERS), HOME)}),
    Row("home/", "GET", "/home/", page()),
    Row("manifest.webmanifest", "GET", "/manifest.webmanifest", public()),
    Row("healthz", "GET", "/healthz", public()),
    Row("sw.js", "GET", "/sw.js", public()),
    # --- allauth: entrance pages -----------------------------------------------------------
    Row("accounts/login/", "GET", "/accounts/login/", entrance()),
    Row("accounts/signup/", "GET", "/accounts/signup/", entrance()),
    Row("accounts/logout/", "GET", "/accounts/logout/", page(anonymous=HOME)),
    Row("accounts/inactive/", "GET", "/accounts/inactive/", public()),
    Row("accounts/password/reset/", "GET", "/accounts/password/reset/", public()),
    Row("accounts/password/reset/done/", "GET", "/accounts/password/reset/done/", public()),
    Row(
        "accounts/password/reset/key/done/",
        "GET",
        "/accounts/password/reset/key/done/",
        public(),
    ),
    Row(
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        "GET",
        "/accounts/password/reset/key/1-not-a-real-key/",
        public(),
    ),
    Row("accounts/confirm-email/", "GET", "/accounts/confirm-email/", public()),
    Row(
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
        "GET",
        "/accounts/confirm-email/not-a-real-key/",
        public(),
    ),
    # These continue a sign-in already under way; without one they lead back to the start.
    Row("accounts/login/code/confirm/", "GET", "/accounts/login/code/confirm/", entrance(LOGIN)),
    Row("accounts/2fa/authenticate/", "GET", "/accounts/2fa/authenticate/", entrance(LOGIN)),
    Row("accounts/2fa/webauthn/login/", "GET", "/accounts/2fa/webauthn/login/", entrance(LOGIN)),
    # --- allauth: managing one's own account -----------------------------------------------
    Row("accounts/email/", "GET", "/accounts/email/", page()),
    Row("accounts/password/change/", "GET", "/accounts/password/change/", page()),
    Row("accounts/password/set/", "GET", "/accounts/password/set/", page(signed_in=HOME)),
    Row("accounts/reauthenticate/", "GET", "/accounts/reauthenticate/", page()),
    Row("accounts/reauthenticate/code/", "GET", "/accounts/reauthenticate/code/", page()),
    Row(
        "accounts/reauthenticate/code/confirm/",
        "GET",
        "/accounts/reauthenticate/code/confirm/",
        page(signed_in=redirect("/accounts/reauthenticate/code/")),
    ),
    Row("accounts/2fa/", "GET", "/accounts/2fa/", page()),
    # Without a second factor, confirming it is again a matter of the password.
    Row(
        "accounts/2fa/reauthenticate/",
        "GET",
        "/accounts/2fa/reauthenticate/",
        page(signed_in=redirect("/accounts/reauthenticate/")),
    ),
    Row("accounts/2fa/totp/activate/", "GET", "/accounts/2fa/totp/activate/", page()),
    # Nobody in the table has TOTP yet: there is nothing of theirs to turn off or show.
    Row(
        "accounts/2fa/totp/deactivate/",
        "GET",
        "/accounts/2fa/totp/deactivate/",
        page(signed_in=404),
    ),
    Row(
        "accounts/2fa/recovery-codes/", "GET", "/accounts/2fa/recovery-codes/", page(signed_in=404)
    ),
    Row(
        "accounts/2fa/recovery-codes/generate/",
        "GET",
        "/accounts/2fa/recovery-codes/generate/",
        page(),
    ),
    Row(
        "accounts/2fa/recovery-codes/download/",
        "GET",
        "/accounts/2fa/recovery-codes/download/",
        page(signed_in=404),
    ),
    Row("accounts/2fa/webauthn/", "GET", "/accounts/2fa/webauthn/", page()),
    Row("accounts/2fa/webauthn/add/", "GET", "/accounts/2fa/webauthn/add/", page()),
    Row(
        "accounts/2fa/webauthn/reauthenticate/",
        "GET",
        "/accounts/2fa/webauthn/reauthenticate/",
        # Alice has a passkey and may confirm with it; the others are sent to their password.
        page(signed_in=redirect("/accounts/reauthenticate/"), alice=200),
    ),
    Row(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        "GET",
        "/accounts/2fa/webauthn/keys/{webauthn}/remove/",
        owned(),
    ),
    Row(
        "accounts/2fa/webauthn/keys/<int:pk>/edit/",
        "GET",
        "/accounts/2fa/webauthn/keys/{webauthn}/edit/",
        owned(),
    ),
    Row("accounts/sessions/", "GET", "/accounts/sessions/", page()),
]


SETTINGS: list[Row] = [
    # --- Settings ------------------------------------------------------------------------
    Row("settings/", "GET", "/settings/", page()),
    Row("settings/activity/", "GET", "/settings/activity/", page()),
    Row("settings/data/", "GET", "/settings/data/", page()),
    Row("settings/data/export/", "POST", "/settings/data/export/", page()),
    # Without the typed confirmation nothing is deleted: the form asks again.
    Row("settings/data/delete/", "POST", "/settings/data/delete/", page(signed_in=400)),
    # Each persona downloads their own journal: the canary check shows none gets alice's.
    Row("settings/data/journal/export/", "GET", "/settings/data/journal/export/", page()),
    Row("settings/data/journal/import/", "GET", "/settings/data/journal/import/", page()),
    # Without a file nothing is imported: the form asks for one.
    Row(
        "settings/data/journal/import/",
        "POST",
        "/settings/data/journal/import/",
        page(signed_in=400),
    ),
    Row("settings/tokens/", "GET", "/settings/tokens/", page()),
    Row(
        "settings/tokens/<uuid:token_id>/revoke/",
        "POST",
        "/settings/tokens/{token}/revoke/",
        owned(alice=302),
    ),
]


# --- The API's own routes: tokens, moments, themes, people and the rest of the journal.

API: list[Row] = [
    # --- API -----------------------------------------------------------------------------
    Row("api/v1/openapi.json", "GET", "/api/v1/openapi.json", public()),
    Row("api/v1/docs", "GET", "/api/v1/docs", public()),
    Row("api/v1/", "GET", "/api/v1/", public(404)),
    Row("api/v1/^.*$", "GET", "/api/v1/nothing-here", public(404)),
    Row("api/v1/me", "GET", "/api/v1/me", API_OWN),
    Row("api/v1/tokens", "GET", "/api/v1/tokens", API_OWN),
    Row(
        "api/v1/tokens",
        "POST",
        "/api/v1/tokens",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"name": "matrix", "scope": "read"},
        json=True,
    ),
    Row("api/v1/tokens/<token_id>", "DELETE", "/api/v1/tokens/{token}", owned(204, 401)),
    Row("api/v1/moments", "GET", "/api/v1/moments", API_OWN),
    Row(
        "api/v1/moments",
        "POST",
        "/api/v1/moments",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"kind": "activation", "states": ["freeze"]},
        json=True,
    ),
    Row("api/v1/moments/export", "GET", "/api/v1/moments/export", API_OWN),
    Row("api/v1/moments/export", "GET", "/api/v1/moments/export?format=csv", API_OWN),
    # Without a file there is nothing to import (422); an import only ever lands in one's own.
    Row(
        "api/v1/moments/import",
        "POST",
        "/api/v1/moments/import",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 422)},
    ),
    Row("api/v1/moments/<moment_id>", "GET", "/api/v1/moments/{moment}", API_ALICES),
    Row(
        "api/v1/moments/<moment_id>",
        "PATCH",
        "/api/v1/moments/{moment}",
        API_ALICES,
        data={"intensity": 3},
        json=True,
    ),
    Row("api/v1/moments/<moment_id>", "DELETE", "/api/v1/moments/{moment}", owned(204, 401)),
    Row(
        "api/v1/moments/<moment_id>/restore",
        "POST",
        "/api/v1/moments/{moment}/restore",
        owned(200, 401),
    ),
    Row(
        "api/v1/moments/<moment_id>/versions",
        "GET",
        "/api/v1/moments/{moment}/versions",
        API_ALICES,
    ),
    Row("api/v1/people", "GET", "/api/v1/people", API_OWN),
    Row(
        "api/v1/people",
        "POST",
        "/api/v1/people",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"label": "Sam"},
        json=True,
    ),
    Row("api/v1/people/<person_id>", "GET", "/api/v1/people/{person}", API_ALICES),
    Row(
        "api/v1/people/<person_id>",
        "PATCH",
        "/api/v1/people/{person}",
        API_ALICES,
        data={"label": "S."},
        json=True,
    ),
    Row("api/v1/people/<person_id>", "DELETE", "/api/v1/people/{person}", owned(204, 401)),
    Row("api/v1/vocabulary", "GET", "/api/v1/vocabulary", API_OWN),
    Row(
        "api/v1/vocabulary/own",
        "POST",
        "/api/v1/vocabulary/own",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"kind": "needs", "label": "being chosen"},
        json=True,
    ),
    Row("api/v1/themes", "GET", "/api/v1/themes", API_OWN),
    Row(
        "api/v1/themes",
        "POST",
        "/api/v1/themes",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"name": "phone at dinner"},
        json=True,
    ),
    Row("api/v1/themes/<theme_id>", "GET", "/api/v1/themes/{theme}", API_ALICES),
    Row(
        "api/v1/themes/<theme_id>",
        "PATCH",
        "/api/v1/themes/{theme}",
        API_ALICES,
        data={"archived": False},
        json=True,
    ),
    Row("api/v1/themes/<theme_id>", "DELETE", "/api/v1/themes/{theme}", owned(204, 401)),
]


# --- Booking: the practitioner's own pages, the public page, and the booking API.

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


# --- care plans and repair, pages and API.

CAREPLANS: list[Row] = [
    # --- Care plans and repair (a plan of alice's with gale; a proposal waiting for her) ------
    Row("careplans/", "GET", "/careplans/", page()),
    Row("careplans/new/", "GET", "/careplans/new/", page()),
    Row("careplans/<uuid:id>/", "GET", "/careplans/{plan}/", owned()),
    Row("careplans/<uuid:id>/propose/", "GET", "/careplans/{plan}/propose/", owned()),
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/",
        "GET",
        "/careplans/{plan}/versions/{plan_version}/",
        owned(),
    ),
    Row("careplans/<uuid:id>/history/", "GET", "/careplans/{plan}/history/", owned()),
    Row("careplans/<uuid:id>/guide/", "GET", "/careplans/{plan}/guide/", owned()),
    Row(
        "careplans/<uuid:id>/review/",
        "POST",
        "/careplans/{plan}/review/",
        owned(alice=302),
        data={"review_on": "2026-06-01"},
    ),
    # Version 1 is no longer open to agree to: alice is told so (302), others get 404.
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/agree/",
        "POST",
        "/careplans/{plan}/versions/{plan_version}/agree/",
        owned(alice=302),
    ),
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/decline/",
        "POST",
        "/careplans/{plan}/versions/{plan_version}/decline/",
        owned(alice=302),
    ),
    Row("careplans/<uuid:id>/withdraw/", "POST", "/careplans/{plan}/withdraw/", owned(alice=302)),
    Row("careplans/repair/", "GET", "/careplans/repair/", page()),
    Row("careplans/repair/pause/", "POST", "/careplans/repair/pause/", page(signed_in=404)),
    Row("careplans/repair/<uuid:id>/", "GET", "/careplans/repair/{repair}/", owned()),
    Row(
        "careplans/repair/<uuid:id>/debrief/",
        "POST",
        "/careplans/repair/{repair}/debrief/",
        owned(alice=302),
        data={"my_part": "x"},
    ),
    Row("api/v1/careplans", "GET", "/api/v1/careplans", API_OWN),
    Row(
        "api/v1/careplans",
        "POST",
        "/api/v1/careplans",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"connection_ids": ["00000000-0000-4000-8000-000000000000"]},
        json=True,
    ),
    Row("api/v1/careplans/<plan_id>", "GET", "/api/v1/careplans/{plan}", API_ALICES),
    Row(
        "api/v1/careplans/<plan_id>/versions",
        "GET",
        "/api/v1/careplans/{plan}/versions",
        API_ALICES,
    ),
    Row(
        "api/v1/careplans/<plan_id>/versions/<version_id>",
        "GET",
        "/api/v1/careplans/{plan}/versions/{plan_version}",
        API_ALICES,
    ),
    # A tender place must belong to someone in the plan: alice's empty owner is a 422.
    Row(
        "api/v1/careplans/<plan_id>/proposals",
        "POST",
        "/api/v1/careplans/{plan}/proposals",
        {"anonymous": 401, "alice": 422, **dict.fromkeys(OTHERS, 404)},
        data={"places": [{"owner": "00000000-0000-4000-8000-000000000000", "name": "x"}]},
        json=True,
    ),
    Row(
        "api/v1/careplans/<plan_id>/versions/<version_id>/agreement",
        "POST",
        "/api/v1/careplans/{plan}/versions/{plan_proposal}/agreement",
        API_ALICES,
    ),
    Row(
        "api/v1/careplans/<plan_id>/agreement",
        "DELETE",
        "/api/v1/careplans/{plan}/agreement",
        owned(204, 401),
    ),
]


# --- Coaching: alice's worksheets (as a practitioner) and a map handed to her.

COACHING: list[Row] = [
    # --- Coaching: alice's worksheets (as a practitioner) and a map handed to her ---------
    Row(
        "coaching/calls/<uuid:id>/worksheet/",
        "GET",
        "/coaching/calls/{coach_call}/worksheet/",
        owned(),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/",
        "POST",
        "/coaching/calls/{coach_spare}/worksheet/",
        owned(alice=redirect("/coaching/calls/")),
        data={"story": "Edited"},
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/hand-over/",
        "POST",
        "/coaching/calls/{coach_spare}/worksheet/hand-over/",
        owned(alice=redirect("/coaching/calls/")),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/withdraw/",
        "POST",
        "/coaching/calls/{coach_spare}/worksheet/withdraw/",
        owned(alice=redirect("/coaching/calls/")),
    ),
    Row("coaching/maps/<uuid:id>/", "GET", "/coaching/maps/{coach_map}/", owned()),
    Row(
        "coaching/maps/<uuid:id>/",
        "POST",
        "/coaching/maps/{coach_map}/",
        owned(alice=redirect("/coaching/maps/")),
        data={"items": ["theme:1"]},
    ),
    Row("coaching/clients/", "GET", "/coaching/clients/", page()),
    Row("coaching/clients/<uuid:id>/", "GET", "/coaching/clients/{coach_client}/", owned()),
    Row(
        "coaching/clients/<uuid:id>/",
        "POST",
        "/coaching/clients/{coach_client}/",
        owned(alice=redirect("/coaching/clients/")),
        data={"text": "Ask about the weekend."},
    ),
    Row(
        "coaching/notes/<uuid:id>/",
        "POST",
        "/coaching/notes/{coach_note}/",
        owned(alice=redirect("/coaching/clients/")),
        data={"text": "Changed."},
    ),
    Row(
        "coaching/notes/<uuid:id>/delete/",
        "POST",
        "/coaching/notes/{coach_spare_note}/delete/",
        owned(alice=redirect("/coaching/clients/")),
    ),
    Row(
        "coaching/clients/<uuid:id>/archive/",
        "POST",
        "/coaching/clients/{coach_client}/archive/",
        owned(alice=redirect("/coaching/clients/")),
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet",
        "GET",
        "/api/v1/coaching/calls/{coach_call}/worksheet",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet",
        "PUT",
        "/api/v1/coaching/calls/{coach_spare}/worksheet",
        API_ALICES,
        data={"part": "The little one"},
        json=True,
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet/hand-over",
        "POST",
        "/api/v1/coaching/calls/{coach_spare}/worksheet/hand-over",
        {**API_ALICES, "alice": 201},
        json=True,
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet/withdraw",
        "POST",
        "/api/v1/coaching/calls/{coach_spare}/worksheet/withdraw",
        {**API_ALICES, "alice": 204},
        json=True,
    ),
    Row("api/v1/coaching/maps", "GET", "/api/v1/coaching/maps", API_OWN),
    Row("api/v1/coaching/maps/<map_id>", "GET", "/api/v1/coaching/maps/{coach_map}", API_ALICES),
    Row(
        "api/v1/coaching/maps/<map_id>/bring",
        "POST",
        "/api/v1/coaching/maps/{coach_map}/bring",
        API_ALICES,
        data={"items": ["person:0"]},
        json=True,
    ),
    Row("api/v1/coaching/clients", "GET", "/api/v1/coaching/clients", API_OWN),
    Row(
        "api/v1/coaching/clients/<connection_id>/notes",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/notes",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/notes",
        "POST",
        "/api/v1/coaching/clients/{coach_client}/notes",
        {**API_ALICES, "alice": 201},
        data={"text": "Ask about the weekend."},
        json=True,
    ),
    Row(
        "api/v1/coaching/notes/<note_id>",
        "PUT",
        "/api/v1/coaching/notes/{coach_note}",
        API_ALICES,
        data={"text": "Changed."},
        json=True,
    ),
    Row(
        "api/v1/coaching/notes/<note_id>",
        "DELETE",
        "/api/v1/coaching/notes/{coach_note}",
        {**API_ALICES, "alice": 204},
        json=True,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/archive",
        "POST",
        "/api/v1/coaching/clients/{coach_client}/archive",
        API_ALICES,
        data={"archived": True},
        json=True,
    ),
    # --- Coaching: alice's practice dashboard, her summary for Hana, Gwen's summaries to her --
    Row("coaching/", "GET", "/coaching/", page()),
    Row("api/v1/coaching/dashboard", "GET", "/api/v1/coaching/dashboard", API_OWN),
    Row(
        "api/v1/coaching/dashboard/seen",
        "POST",
        "/api/v1/coaching/dashboard/seen",
        {**API_OWN, **dict.fromkeys(("alice", *OTHERS), 204)},
        json=True,
    ),
    Row(
        "coaching/calls/<uuid:id>/summary/",
        "GET",
        "/coaching/calls/{coach_call}/summary/",
        owned(),
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/summary",
        "GET",
        "/api/v1/coaching/calls/{coach_call}/summary",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/summary",
        "PUT",
        "/api/v1/coaching/calls/{coach_call}/summary",
        API_ALICES,
        data={"text": "A few words after the call."},
        json=True,
    ),
    Row(
        "coaching/calls/<uuid:id>/summary/",
        "POST",
        "/coaching/calls/{coach_call}/summary/",
        owned(alice=redirect("/coaching/calls/")),
        data={"text": "A few words after the call.", "action": "save"},
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/summary/send",
        "POST",
        "/api/v1/coaching/calls/{coach_call}/summary/send",
        API_ALICES,
        json=True,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/summaries",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/summaries",
        API_ALICES,
    ),
    Row("coaching/summaries/", "GET", "/coaching/summaries/", page()),
    Row(
        "coaching/summaries/<uuid:id>/",
        "GET",
        "/coaching/summaries/{coach_summary}/",
        owned(),
    ),
    Row("api/v1/coaching/summaries", "GET", "/api/v1/coaching/summaries", API_OWN),
    Row(
        "api/v1/coaching/summaries/<summary_id>",
        "GET",
        "/api/v1/coaching/summaries/{coach_summary}",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/summaries/<summary_id>",
        "DELETE",
        "/api/v1/coaching/summaries/{coach_spare_summary}",
        {**API_ALICES, "alice": 204},
        json=True,
    ),
    Row(
        "coaching/summaries/<uuid:id>/delete/",
        "POST",
        "/coaching/summaries/{coach_summary}/delete/",
        owned(alice=redirect("/coaching/summaries/")),
    ),
    # What Hana grants alice (her practitioner), in place and through the API.
    Row(
        "coaching/clients/<uuid:id>/",
        "GET",
        "/coaching/clients/{coach_client}/?period=30&week=2",
        owned(),
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/shared",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/shared",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/shared/<share_id>/map",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/shared/{coach_grant_map}/map?period=7",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/shared/<share_id>/summary",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/shared/{coach_grant_summary}/summary?week=1",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/shared/<share_id>/theme",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/shared/{coach_grant_theme}/theme",
        API_ALICES,
    ),
    # Suggestions: alice's to Hana (and Hana's progress, shared with alice), Gwen's to alice.
    Row(
        "coaching/clients/<uuid:id>/suggestions/",
        "POST",
        "/coaching/clients/{coach_client}/suggestions/",
        owned(alice=redirect("/coaching/clients/")),
        data={"practice": "long_exhale"},
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/suggestions",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/suggestions",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/suggestions",
        "POST",
        "/api/v1/coaching/clients/{coach_client}/suggestions",
        {**API_ALICES, "alice": 201},
        data={"practice": "box_breathing", "rhythm": "weekly", "days": ["WE"]},
        json=True,
    ),
    Row("api/v1/coaching/suggestions", "GET", "/api/v1/coaching/suggestions", API_OWN),
    Row(
        "api/v1/coaching/clients/<connection_id>/progress",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/progress",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/suggestions/<suggestion_id>/decline",
        "POST",
        "/api/v1/coaching/suggestions/{coach_to_alice_api}/decline",
        {**API_ALICES, "alice": 204},
        data={"reason": "not_now"},
        json=True,
    ),
    Row(
        "coaching/suggestions/<uuid:id>/decline/",
        "POST",
        "/coaching/suggestions/{coach_to_alice}/decline/",
        owned(alice=redirect("/home/")),
    ),
    Row(
        "api/v1/coaching/suggestions/<suggestion_id>/withdraw",
        "POST",
        "/api/v1/coaching/suggestions/{coach_suggestion}/withdraw",
        {**API_ALICES, "alice": 204},
        json=True,
    ),
    Row(
        "coaching/suggestions/<uuid:id>/withdraw/",
        "POST",
        "/coaching/suggestions/{coach_suggestion}/withdraw/",
        owned(alice=redirect("/coaching/clients/")),
    ),
]


# --- Connections, invitations, shares and Safety Check.

CONNECTIONS: list[Row] = [
    # --- Connections (alice is connected with dave and erin, not with bob, carol, mallory) ---
    Row("connections/", "GET", "/connections/", page()),
    Row(
        "connections/visibility/",
        "POST",
        "/connections/visibility/",
        page(signed_in=302),
        data={"appear_to_metamours": "name", "show_my_connections": "on"},
    ),
    Row("connections/invite/", "POST", "/connections/invite/", page(), data={"kind": "friend"}),
    # The link keeps its secret in the visitor's session and leads on to the address without
    # it; that address, with no link opened first, has nothing to show anyone.
    Row(
        "connections/join/",
        "GET",
        "/connections/join/?t={conn_secret}",
        public(redirect("/connections/join/")),
    ),
    Row("connections/join/", "GET", "/connections/join/", public(404)),
    Row(
        "connections/join/",
        "GET",
        "/connections/join/",
        public(),
        first="/connections/join/?t={conn_secret}",
    ),
    Row("connections/shares/", "GET", "/connections/shares/", page()),
    Row("connections/shared/", "GET", "/connections/shared/", page()),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{conn_from_dave}/", owned()),
    Row(
        "connections/shared/<uuid:id>/moments/<uuid:moment_id>/",
        "GET",
        "/connections/shared/{conn_from_dave}/moments/{conn_dave_moment}/",
        owned(),
    ),
    Row("connections/safety/", "GET", "/connections/safety/", page()),
    Row(
        "connections/discreet/",
        "POST",
        "/connections/discreet/",
        page(signed_in=302),
        data={"neutral_name": "on"},
    ),
    # Without the confirmation the form answers with itself; the real run is tested in connections.
    Row("connections/safety/", "POST", "/connections/safety/", page(signed_in=302)),
    # The one confirmation: shown to each for their own account, running nothing.
    Row("connections/safety/", "GET", "/connections/safety/?confirm=1", page()),
    Row("connections/<uuid:id>/", "GET", "/connections/{conn_connection}/", owned()),
    Row(
        "connections/<uuid:id>/label/",
        "POST",
        "/connections/{conn_connection}/label/",
        owned(alice=302),
        data={"label": "D."},
    ),
    Row("connections/<uuid:id>/share/", "GET", "/connections/{conn_connection}/share/", owned()),
    # Searching her moments for the share: her words, to her only.
    Row(
        "connections/<uuid:id>/share/",
        "POST",
        "/connections/{conn_connection}/share/",
        owned(),
        data={"find": "1", "moment_q": CANARY[:12]},
    ),
    Row(
        "connections/<uuid:id>/share/",
        "POST",
        "/connections/{conn_connection}/share/",
        owned(alice=302),
        data={"scope": "weekly_summary"},
    ),
    Row("api/v1/connections", "GET", "/api/v1/connections", API_OWN),
    Row("api/v1/connections/polycule", "GET", "/api/v1/connections/polycule", API_OWN),
    Row(
        "api/v1/connections/visibility",
        "PUT",
        "/api/v1/connections/visibility",
        API_OWN,
        data={"appear_to_metamours": "hidden", "show_my_connections": False},
        json=True,
    ),
    # Without {"confirm": true} nothing runs (422).
    Row(
        "api/v1/connections/safety-check",
        "POST",
        "/api/v1/connections/safety-check",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 422)},
        json=True,
    ),
    Row(
        "api/v1/connections/<connection_id>",
        "GET",
        "/api/v1/connections/{conn_connection}",
        API_ALICES,
    ),
    Row(
        "api/v1/connections/<connection_id>/label",
        "PUT",
        "/api/v1/connections/{conn_connection}/label",
        API_ALICES,
        data={"label": "D."},
        json=True,
    ),
    Row("api/v1/invitations", "GET", "/api/v1/invitations", API_OWN),
    Row(
        "api/v1/invitations",
        "POST",
        "/api/v1/invitations",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"kind": "friend"},
        json=True,
    ),
    Row(
        "api/v1/invitations/accept",
        "POST",
        "/api/v1/invitations/accept",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"token": "inv_no-such-invitation"},
        json=True,
    ),
    Row(
        "api/v1/invitations/<invitation_id>",
        "DELETE",
        "/api/v1/invitations/{conn_invitation}",
        owned(204, 401),
    ),
    Row(
        "connections/invitations/<uuid:id>/revoke/",
        "POST",
        "/connections/invitations/{conn_invitation2}/revoke/",
        owned(alice=302),
    ),
    Row("api/v1/shares", "GET", "/api/v1/shares", API_OWN),
    # A connection that is not the asker's: 404 for everyone (alice's own is tested in the app).
    Row(
        "api/v1/shares",
        "POST",
        "/api/v1/shares",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"connection_id": "00000000-0000-4000-8000-000000000000", "scope": "trigger_map"},
        json=True,
    ),
    Row("api/v1/shares/views", "GET", "/api/v1/shares/views", API_OWN),
    Row("api/v1/shared-with-me", "GET", "/api/v1/shared-with-me", API_OWN),
    Row(
        "api/v1/shared-with-me/<share_id>",
        "GET",
        "/api/v1/shared-with-me/{conn_from_dave}",
        API_ALICES,
    ),
    Row(
        "api/v1/shared-with-me/<share_id>/moments/<moment_id>",
        "GET",
        "/api/v1/shared-with-me/{conn_from_dave}/moments/{conn_dave_moment}",
        API_ALICES,
    ),
    Row("api/v1/shares/<share_id>", "DELETE", "/api/v1/shares/{conn_share}", owned(204, 401)),
    Row(
        "connections/shares/<uuid:id>/revoke/",
        "POST",
        "/connections/shares/{conn_share2}/revoke/",
        owned(alice=302),
    ),
    Row("api/v1/shares/revoke-all", "POST", "/api/v1/shares/revoke-all", API_OWN),
    Row(
        "connections/shares/revoke-all/",
        "POST",
        "/connections/shares/revoke-all/",
        page(signed_in=302),
    ),
    Row(
        "api/v1/connections/<connection_id>/end",
        "POST",
        "/api/v1/connections/{conn_connection}/end",
        owned(204, 401),
        data={"quietly": True},
        json=True,
    ),
    Row(
        "connections/<uuid:id>/end/",
        "POST",
        "/connections/{conn_connection2}/end/",
        owned(alice=302),
    ),
]


JOIN_LAST: list[Row] = [
    # Last, since accepting connects (and alice's own invitations were withdrawn by her Safety
    # Check above, which also ended her connection with dave): dave's link invitation. Whoever
    # opened the link may accept it, and is taken to the new connection; a visitor signs in
    # first. (Refusals: tend/connections/tests/test_authorization.py and test_joining.py.)
    Row(
        "connections/join/",
        "POST",
        "/connections/join/",
        {"anonymous": LOGIN, **dict.fromkeys(("alice", *OTHERS), redirect("/connections/"))},
        first="/connections/join/?t={conn_dave_secret}",
    ),
]


# --- The journal, and the insights map drawn from it.

JOURNAL: list[Row] = [
    # --- Journal -------------------------------------------------------------------------
    Row("journal/", "GET", "/journal/", page()),
    Row("journal/new/", "GET", "/journal/new/", page()),
    Row("journal/new/who/", "GET", "/journal/new/who/", page()),
    Row("journal/<uuid:id>/", "GET", "/journal/{moment}/", owned()),
    Row("journal/<uuid:id>/edit/", "GET", "/journal/{moment}/edit/", owned()),
    Row(
        "journal/<uuid:id>/versions/<uuid:version_id>/",
        "GET",
        "/journal/{moment}/versions/{version}/",
        owned(),
    ),
    Row("journal/<uuid:id>/delete/", "POST", "/journal/{moment}/delete/", owned(alice=302)),
    Row("journal/<uuid:id>/restore/", "POST", "/journal/{moment}/restore/", owned(alice=302)),
    Row("journal/themes/", "GET", "/journal/themes/", page()),
    Row("journal/themes/", "POST", "/journal/themes/", page(signed_in=302), data={"name": "x"}),
    # Asked with alice's own words, only alice hears of her theme (the canary check below).
    Row(
        "journal/themes/suggest/",
        "POST",
        "/journal/themes/suggest/",
        page(),
        data={"cue": CANARY},
    ),
    Row(
        "api/v1/themes/suggest",
        "POST",
        "/api/v1/themes/suggest",
        API_OWN,
        data={"cue": CANARY},
        json=True,
    ),
    Row(
        "journal/themes/<uuid:id>/rename/",
        "POST",
        "/journal/themes/{theme}/rename/",
        owned(alice=302),
        data={"name": "renamed"},
    ),
    Row(
        "journal/themes/<uuid:id>/archive/",
        "POST",
        "/journal/themes/{theme}/archive/",
        owned(alice=302),
    ),
    Row("journal/people/", "GET", "/journal/people/", page()),
    Row("journal/people/", "POST", "/journal/people/", page(signed_in=302), data={"label": "x"}),
    Row(
        "journal/people/<uuid:id>/rename/",
        "POST",
        "/journal/people/{person}/rename/",
        owned(alice=302),
        data={"label": "renamed"},
    ),
    Row("journal/people/<uuid:id>/delete/", "GET", "/journal/people/{person}/delete/", owned()),
    # The spare person: alice's own person stays for the API rows below.
    Row(
        "journal/people/<uuid:id>/delete/",
        "POST",
        "/journal/people/{spare_person}/delete/",
        owned(alice=302),
    ),
]


INSIGHTS: list[Row] = [
    # --- Insights: each persona sees only their own map (alice's canary theme is in hers) ---
    Row("insights/", "GET", "/insights/", page()),
    Row("insights/report/", "GET", "/insights/report/?sections=themes", page()),
    Row("insights/report.pdf", "GET", "/insights/report.pdf", page()),
    Row("api/v1/insights/map", "GET", "/api/v1/insights/map", API_OWN),
    Row("api/v1/insights/report.pdf", "GET", "/api/v1/insights/report.pdf", API_OWN),
]


# --- Notifications: content-free notices, reminders, push devices.

NOTIFICATIONS: list[Row] = [
    # --- Notifications (content-free notices, reminders, push devices) ------------------------
    Row("notifications/", "GET", "/notifications/", page()),
    Row("notifications/read/", "POST", "/notifications/read/", page(signed_in=302)),
    Row(
        "notifications/<uuid:id>/open/",
        "POST",
        "/notifications/{notice}/open/",
        owned(alice=302),
    ),
    Row("notifications/settings/", "GET", "/notifications/settings/", page()),
    Row(
        "notifications/devices/<uuid:id>/remove/",
        "POST",
        "/notifications/devices/{push_device}/remove/",
        owned(alice=302),
    ),
    Row("notifications/push-sw.js", "GET", "/notifications/push-sw.js", public()),
    Row("api/v1/notifications", "GET", "/api/v1/notifications", API_OWN),
    Row(
        "api/v1/notifications/read",
        "POST",
        "/api/v1/notifications/read",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 204)},
    ),
    Row("api/v1/notifications/preferences", "GET", "/api/v1/notifications/preferences", API_OWN),
    Row(
        "api/v1/notifications/preferences",
        "PUT",
        "/api/v1/notifications/preferences",
        API_OWN,
        data={"email": True, "push": False},
        json=True,
    ),
    Row("api/v1/notifications/push-key", "GET", "/api/v1/notifications/push-key", API_OWN),
    Row(
        "api/v1/notifications/push-subscriptions",
        "POST",
        "/api/v1/notifications/push-subscriptions",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"endpoint": "https://push.example.test/matrix", "p256dh": "k", "auth": "a"},
        json=True,
    ),
    Row(
        "api/v1/notifications/push-subscriptions/<subscription_id>",
        "DELETE",
        "/api/v1/notifications/push-subscriptions/{push_device_api}",
        owned(204, 401),
    ),
]


# --- practices, their pages and the API.

PRACTICES: list[Row] = [
    # --- Practices -----------------------------------------------------------------------
    Row("practices/", "GET", "/practices/", page()),
    Row("practices/practice/<slug:code>/", "GET", "/practices/practice/long_exhale/", page()),
    Row("practices/own/", "GET", "/practices/own/", page()),
    Row("practices/own/new/", "GET", "/practices/own/new/", page()),
    # Without a name nothing is saved: the form asks again.
    Row("practices/own/new/", "POST", "/practices/own/new/", page(signed_in=400)),
    Row("practices/own/<uuid:id>/", "GET", "/practices/own/{own_practice}/", owned()),
    Row("practices/own/<uuid:id>/edit/", "GET", "/practices/own/{own_practice}/edit/", owned()),
    Row("practices/activated/", "GET", "/practices/activated/?intensity=8&state=fight", page()),
    Row(
        "practices/activated/save/",
        "POST",
        "/practices/activated/save/",
        page(signed_in=302),
        data={
            "practice_code": "long_exhale",
            "flow": "1",
            "intensity_before": "8",
            "intensity_after": "4",
        },
    ),
    Row("practices/history/", "GET", "/practices/history/", page()),
    Row(
        "practices/sessions/record/",
        "POST",
        "/practices/sessions/record/",
        page(signed_in=302),
        data={"practice_code": "box_breathing"},
    ),
    Row(
        "practices/sessions/<uuid:id>/",
        "GET",
        "/practices/sessions/{practice_session}/",
        owned(),
    ),
    Row("practices/together/", "POST", "/practices/together/", page(signed_in=302)),
    Row("practices/together/clock/", "GET", "/practices/together/clock/", page()),
    # A live link seats the first other person to open it (in this table, each persona in turn).
    Row("practices/together/<str:token>/", "GET", "/practices/together/{breath}/", page()),
    Row(
        "practices/together/<str:token>/",
        "GET",
        "/practices/together/{breath_ended}/",
        page(signed_in=410),
    ),
    Row(
        "practices/together/<str:token>/",
        "GET",
        "/practices/together/not-a-link/",
        page(signed_in=404),
    ),
    Row(
        "practices/together/<str:token>/status/",
        "GET",
        "/practices/together/{breath}/status/",
        page(),
    ),
    # By id, a shared breath opens for its host and the connection invited to it (here alice's
    # friend, none of the personas); to anyone else it is the same 404 as one that never was,
    # live, ended or missing.
    Row("practices/together/<uuid:id>/", "GET", "/practices/together/{breath_invited}/", owned()),
    Row(
        "practices/together/<uuid:id>/",
        "GET",
        "/practices/together/{breath_ended_id}/",
        owned(alice=410),
    ),
    Row(
        "practices/together/<uuid:id>/",
        "GET",
        "/practices/together/00000000-0000-4000-8000-000000000000/",
        page(signed_in=404),
    ),
    Row(
        "practices/together/<uuid:id>/status/",
        "GET",
        "/practices/together/{breath_invited}/status/",
        owned(),
    ),
    Row(
        "practices/together/<uuid:id>/end/",
        "POST",
        "/practices/together/{breath_invited}/end/",
        owned(alice=302),
    ),
    # Only the host may send the link, and only to an active connection of theirs.
    Row(
        "practices/together/<str:token>/invite/<uuid:connection_id>/",
        "POST",
        "/practices/together/{breath}/invite/{breath_invitee}/",
        owned(alice=302),
    ),
    Row(
        "practices/together/<str:token>/end/",
        "POST",
        "/practices/together/{breath}/end/",
        page(signed_in=302),
    ),
    Row("api/v1/practices", "GET", "/api/v1/practices", API_OWN),
    Row(
        "api/v1/practices/catalogue/<code>",
        "GET",
        "/api/v1/practices/catalogue/box_breathing",
        API_OWN,
    ),
    Row("api/v1/practices/own", "GET", "/api/v1/practices/own", API_OWN),
    Row(
        "api/v1/practices/own",
        "POST",
        "/api/v1/practices/own",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"name": "humming", "kind": "grounding"},
        json=True,
    ),
    Row(
        "api/v1/practices/own/<practice_id>",
        "GET",
        "/api/v1/practices/own/{own_practice}",
        API_ALICES,
    ),
    Row(
        "api/v1/practices/own/<practice_id>",
        "PATCH",
        "/api/v1/practices/own/{own_practice}",
        API_ALICES,
        data={"duration_seconds": 60},
        json=True,
    ),
    Row("api/v1/practices/sessions", "GET", "/api/v1/practices/sessions", API_OWN),
    Row(
        "api/v1/practices/sessions",
        "POST",
        "/api/v1/practices/sessions",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"practice_code": "walking", "intensity_before": 6, "intensity_after": 3},
        json=True,
    ),
    Row(
        "api/v1/practices/sessions/<session_id>",
        "GET",
        "/api/v1/practices/sessions/{practice_session}",
        API_ALICES,
    ),
    Row(
        "api/v1/practices/outcomes",
        "POST",
        "/api/v1/practices/outcomes",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"practice_code": "box_breathing", "intensity_before": 8, "intensity_after": 5},
        json=True,
    ),
    Row(
        "api/v1/practices/suggestions",
        "GET",
        "/api/v1/practices/suggestions?state=fight",
        API_OWN,
    ),
    # Last: these delete what the rows above read.
    Row(
        "api/v1/practices/own/<practice_id>",
        "DELETE",
        "/api/v1/practices/own/{own_practice}",
        owned(204, 401),
    ),
    Row(
        "practices/own/<uuid:id>/delete/",
        "POST",
        "/practices/own/{own_practice}/delete/",
        # Alice's was deleted through the API just above: hers is now as gone as anyone's.
        owned(alice=404),
    ),
]


# --- rituals and check-ins, pages and API.

RITUALS: list[Row] = [
    # --- Rituals and check-ins (alice's own ritual; a check-in with dave she answered) --------
    Row("rituals/", "GET", "/rituals/", page()),
    Row("rituals/new/", "GET", "/rituals/new/", page()),
    Row("rituals/<uuid:id>/", "GET", "/rituals/{ritual}/", owned()),
    # Not one of the ritual's times: alice is told so (302 with a message), others get 404.
    Row(
        "rituals/<uuid:id>/occurrences/",
        "POST",
        "/rituals/{ritual}/occurrences/",
        owned(alice=302),
        data={"original": "20260101T101000Z", "state": "done"},
    ),
    Row(
        "rituals/<uuid:id>/archive/",
        "POST",
        "/rituals/{ritual_spare}/archive/",
        owned(alice=302),
    ),
    Row("rituals/calendar/", "GET", "/rituals/calendar/", page()),
    # The secret is the key: whoever holds it reads the feed (times and kinds, never words).
    Row(
        "rituals/calendar/<str:secret>.ics",
        "GET",
        "/rituals/calendar/{feed_secret}.ics",
        public(),
    ),
    Row("rituals/checkins/", "GET", "/rituals/checkins/", page()),
    # Without a connection of one's own there is nothing to start.
    Row("rituals/checkins/start/", "POST", "/rituals/checkins/start/", page(signed_in=404)),
    Row("rituals/checkins/<uuid:id>/", "GET", "/rituals/checkins/{checkin}/", owned()),
    Row(
        "rituals/checkins/<uuid:id>/answer/",
        "POST",
        "/rituals/checkins/{checkin}/answer/",
        owned(alice=302),
        data={"went_well": "again"},
    ),
    Row(
        "rituals/actions/<uuid:id>/done/",
        "POST",
        "/rituals/actions/{action_item}/done/",
        owned(alice=302),
    ),
    Row("api/v1/rituals", "GET", "/api/v1/rituals", API_OWN),
    Row(
        "api/v1/rituals",
        "POST",
        "/api/v1/rituals",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={
            "kind": "affirmation",
            "rrule": "FREQ=DAILY",
            "start_date": "2026-01-01",
            "start_time": "09:00",
        },
        json=True,
    ),
    Row("api/v1/rituals/checkins", "GET", "/api/v1/rituals/checkins", API_OWN),
    Row(
        "api/v1/rituals/checkins",
        "POST",
        "/api/v1/rituals/checkins",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"connection_id": "00000000-0000-4000-8000-000000000000"},
        json=True,
    ),
    Row(
        "api/v1/rituals/checkins/<checkin_id>",
        "GET",
        "/api/v1/rituals/checkins/{checkin}",
        API_ALICES,
    ),
    Row(
        "api/v1/rituals/checkins/<checkin_id>/answers",
        "POST",
        "/api/v1/rituals/checkins/{checkin}/answers",
        {"anonymous": 401, "alice": 409, **dict.fromkeys(OTHERS, 404)},
        data={"went_well": "again"},
        json=True,
    ),
    Row("api/v1/rituals/<ritual_id>", "GET", "/api/v1/rituals/{ritual}", API_ALICES),
    Row("api/v1/rituals/<ritual_id>", "DELETE", "/api/v1/rituals/{ritual_api}", owned(204, 401)),
    Row(
        "api/v1/rituals/<ritual_id>/occurrences",
        "GET",
        "/api/v1/rituals/{ritual}/occurrences",
        API_ALICES,
    ),
    Row(
        "api/v1/rituals/<ritual_id>/occurrences",
        "POST",
        "/api/v1/rituals/{ritual}/occurrences",
        {"anonymous": 401, "alice": 422, **dict.fromkeys(OTHERS, 404)},
        data={"original": "2026-01-01T10:10:00Z", "state": "done"},
        json=True,
    ),
]
