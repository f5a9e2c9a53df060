"""Every URL Tend serves, tried as every persona, from one table.

Each row names a route (its pattern, exactly as Django resolves it), a method, the concrete path
to request (``{token}`` and ``{moment}`` stand for alice's own objects) and the status each
persona must get. A route that exists but is missing from the table fails
``test_every_route_is_in_the_table``, so a new view cannot ship without its authorization row.

Beyond the status, no response to anyone but alice may contain alice's canary text.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tend.accounts.models import User
from tend.accounts.tests.factories import passkey_for
from tend.api.services import token_create
from tend.booking.tests.matrix import booking_things
from tend.careplans.tests.matrix import careplans_things
from tend.coaching.tests.matrix import coaching_things
from tend.conftest import client_for
from tend.journal.models import Theme
from tend.journal.people import person_add
from tend.journal.services import moment_update
from tend.journal.tests.factories import MomentFactory
from tend.notifications.models import Notification, PushSubscription
from tend.practices.tests.matrix import practices_things
from tend.rituals.tests.matrix import rituals_things

CANARY = "CANARY-alice-matrix-4c1d"
PERSONAS = ("anonymous", "alice", "bob", "carol", "mallory")
OTHERS = ("bob", "carol", "mallory")

LOGIN = "login"  # a redirect to the sign-in page
HOME = "home"  # a redirect away from an entrance page, for someone already signed in


def redirect(prefix: str) -> tuple[int, str]:
    return (302, prefix)


def page(anonymous: Any = LOGIN, signed_in: Any = 200, **overrides: Any) -> dict[str, Any]:
    """A page each signed-in persona may open for their own account."""
    expected = {"anonymous": anonymous, **dict.fromkeys(("alice", *OTHERS), signed_in)}
    expected.update(overrides)
    return expected


def owned(alice: Any = 200, anonymous: Any = LOGIN, others: Any = 404) -> dict[str, Any]:
    """Something that belongs to alice: everyone else gets the same 404 as for nothing."""
    return {"anonymous": anonymous, "alice": alice, **dict.fromkeys(OTHERS, others)}


def public(status: Any = 200) -> dict[str, Any]:
    return dict.fromkeys(PERSONAS, status)


def entrance(anonymous: Any = 200) -> dict[str, Any]:
    return {"anonymous": anonymous, **dict.fromkeys(("alice", *OTHERS), HOME)}


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: str
    expect: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False
    # Request headers (Django's HTTP_… names); their values are formatted like the path.
    headers: dict[str, str] = field(default_factory=dict)
    # A page the same client opens first (an invitation link keeps its secret in the session).
    first: str = ""


# A visitor's booking for a time long past: every field valid but the time, so only the time
# (or a page that is not there) can refuse it.
BOOKING_LONG_PAST = {
    "start": "2020-01-07T10:00:00Z",
    "name": "Visitor",
    "email": "matrix@example.test",
    "zone": "America/New_York",
    "intake": {"relationship": "open", "what_brings": "A matrix row"},
}

API_OWN = {"anonymous": 401, "alice": 200, **dict.fromkeys(OTHERS, 200)}
API_ALICES = {"anonymous": 401, "alice": 200, **dict.fromkeys(OTHERS, 404)}

TABLE: list[Row] = [
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
    # --- Insights: each persona sees only their own map (alice's canary theme is in hers) ---
    Row("insights/", "GET", "/insights/", page()),
    Row("insights/report/", "GET", "/insights/report/?sections=themes", page()),
    Row("insights/report.pdf", "GET", "/insights/report.pdf", page()),
    Row("api/v1/insights/map", "GET", "/api/v1/insights/map", API_OWN),
    Row("api/v1/insights/report.pdf", "GET", "/api/v1/insights/report.pdf", API_OWN),
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


def _routes() -> set[str]:
    routes: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.add(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return routes


def test_every_route_is_in_the_table() -> None:
    missing = _routes() - {row.route for row in TABLE}
    assert not missing, f"routes with no authorization row: {sorted(missing)}"


def test_no_request_is_in_the_table_twice() -> None:
    # A copied block would run the same requests twice and hide which row a reader should edit.
    requests = [
        (
            row.method,
            row.path,
            json.dumps(row.data, sort_keys=True),
            json.dumps(row.headers),
            row.first,
        )
        for row in TABLE
    ]
    assert len(requests) == len(set(requests))


def test_the_table_names_only_routes_that_exist() -> None:
    stale = {row.route for row in TABLE} - _routes()
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def alices_things(alice: User) -> dict[str, str]:
    theme = Theme.objects.create(owner=alice, name=CANARY)
    moment = MomentFactory(author=alice, cue=CANARY, story=CANARY, theme=theme)
    token, _ = token_create(user=alice, name=CANARY[:40], scope="write")
    webauthn = passkey_for(alice, name=CANARY)
    person, _ = person_add(owner=alice, label=CANARY)
    spare_person, _ = person_add(owner=alice, label=CANARY + " spare")
    # Naming someone is an edit: the moment as first written (the canary) becomes a version.
    moment_update(actor=alice, moment=moment, people=[person.id])
    version = moment.versions.get()
    conn = _connections_things(alice, theme=theme, moment=moment)
    notice = Notification.objects.create(recipient=alice, code="checkin.due", link="/home/")
    push_device = PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.test/alice", p256dh="k", auth="a"
    )
    push_device_api = PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.test/alice-api", p256dh="k", auth="a"
    )
    return {
        **conn,
        **practices_things(alice, CANARY),
        **rituals_things(alice, CANARY),
        **careplans_things(alice, CANARY),
        **booking_things(alice, CANARY),
        **coaching_things(alice, CANARY),
        "push_device_api": str(push_device_api.id),
        "notice": str(notice.id),
        "push_device": str(push_device.id),
        "moment": str(moment.id),
        "token": str(token.id),
        "webauthn": str(webauthn.pk),
        "person": str(person.id),
        "spare_person": str(spare_person.id),
        "version": str(version.id),
        "theme": str(theme.id),
    }


def _connections_things(alice: User, *, theme: Theme, moment: Any) -> dict[str, str]:
    """Alice's connections (with dave and erin), invitations and shares, and one share to her."""
    from tend.accounts.tests.factories import UserFactory
    from tend.connections.services import invitation_create
    from tend.connections.tests.factories import connect, share

    dave = UserFactory(display_name="Dave")
    erin = UserFactory(display_name="Erin")
    with_dave = connect(alice, dave)
    with_erin = connect(erin, alice, kind="friend")
    invitation, secret = invitation_create(actor=alice, kind="partner")
    invitation2, _ = invitation_create(actor=alice, kind="friend")
    theme_share = share(alice, with_dave, "theme", theme_id=theme.id, note=CANARY)
    moment_share = share(alice, with_dave, "moment", moment_id=moment.id)
    daves_moment = MomentFactory(author=dave, cue="dave's own words")
    from_dave = share(dave, with_dave, "moment", moment_id=daves_moment.id)
    _daves_invitation, daves_secret = invitation_create(actor=dave, kind="friend")
    return {
        "conn_connection": str(with_dave.id),
        "conn_connection2": str(with_erin.id),
        "conn_invitation": str(invitation.id),
        "conn_invitation2": str(invitation2.id),
        "conn_secret": secret,
        "conn_share": str(theme_share.id),
        "conn_share2": str(moment_share.id),
        "conn_from_dave": str(from_dave.id),
        "conn_dave_moment": str(daves_moment.id),
        "conn_dave_secret": daves_secret,
    }


def _fresh_client_for(user: User | None) -> Client:
    """A client signed in moments ago, as allauth's reauthentication checks expect."""
    client = client_for(user)
    if user is not None:
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "reauthenticated": True}
        ]
        session.save()
    return client


def _request(client: Client, row: Row, path: str, things: dict[str, str] | None = None) -> Any:
    if row.first:
        client.get(row.first.format(**(things or {})))
    method = getattr(client, row.method.lower())
    headers = {name: value.format(**(things or {})) for name, value in row.headers.items()}
    if row.json:
        return method(path, data=json.dumps(row.data), content_type="application/json", **headers)
    if row.method == "GET":
        return method(path, **headers)
    return method(path, data=row.data, **headers)


def _matches(response: Any, expected: Any) -> bool:
    location = response.get("Location", "")
    if expected == LOGIN:
        return response.status_code == 302 and location.startswith("/accounts/login/")
    if expected == HOME:
        return response.status_code == 302 and not location.startswith("/accounts/login/")
    if isinstance(expected, tuple):
        return response.status_code == expected[0] and location.startswith(expected[1])
    return bool(response.status_code == expected)


def _mismatch(row: Row, path: str, response: Any, expected: Any) -> str | None:
    """What went wrong with ``row``'s answer, for the list a failing test prints, or None."""
    if _matches(response, expected):
        return None
    return (
        f"{row.method} {path}: expected {expected}, got "
        f"{response.status_code} {response.get('Location', '')}"
    )


def _body(response: Any) -> bytes:
    return b"".join(response) if response.streaming else bytes(response.content)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_table_says(
    persona: str, personas: dict[str, User | None], alices_things: dict[str, str]
) -> None:
    mismatches = []
    for row in TABLE:
        # Rows run in order: a restore row follows the delete row, so alice can undo it.
        client = _fresh_client_for(personas[persona])
        path = row.path.format(**alices_things)
        response = _request(client, row, path, alices_things)
        if (mismatch := _mismatch(row, path, response, row.expect[persona])) is not None:
            mismatches.append(mismatch)
        if persona != "alice":
            assert CANARY.encode() not in _body(response), f"{persona} saw alice's words at {path}"
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


# --- Between people: what a partner reads of alice, and a group plan someone left ----------
#
# The rows above try alice's things as strangers. These try them as the people she is close to:
# bob, her partner, to whom she shares her weekly summary and her map, with whom she has a
# check-in, and carol, with whom she and bob had a group plan until alice ended her connection
# with carol (bob and carol are still connected). Her own practice's name is hers alone; carol,
# who left the plan, reads nothing of it, and her tender place left with her.

OWN_PRACTICE = "CANARY-alice-own-practice-0f3a"
PLAN_WORDS = {
    "alice": "CANARY-alice-plan-words-6e21",
    "bob": "CANARY-bob-plan-words-93c4",
    "carol": "CANARY-carol-plan-words-d70b",
}
BETWEEN_PARTY = {"anonymous": LOGIN, "alice": 404, "bob": 200, "carol": 404, "mallory": 404}
BETWEEN_PLAN = {"anonymous": LOGIN, "alice": 200, "bob": 200, "carol": 404, "mallory": 404}
BETWEEN_PLAN_API = {**BETWEEN_PLAN, "anonymous": 401}

BETWEEN: list[Row] = [
    # bob reads alice's week and map; her own practice is "a practice of their own" there.
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{summary}/", BETWEEN_PARTY),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{map}/", BETWEEN_PARTY),
    Row(
        "api/v1/shared-with-me/<share_id>",
        "GET",
        "/api/v1/shared-with-me/{summary}",
        {**BETWEEN_PARTY, "anonymous": 401},
    ),
    Row("api/v1/shared-with-me", "GET", "/api/v1/shared-with-me", API_OWN),
    # The check-in pulls alice's shared week into bob's page.
    Row("rituals/checkins/<uuid:id>/", "GET", "/rituals/checkins/{checkin}/", {**BETWEEN_PLAN}),
    # Her own map names it (checked below), whoever asked for it first.
    Row("insights/", "GET", "/insights/", page()),
    Row("api/v1/insights/map", "GET", "/api/v1/insights/map", API_OWN),
    # The group plan goes on for alice and bob; carol left it.
    Row("careplans/<uuid:id>/", "GET", "/careplans/{group}/", BETWEEN_PLAN),
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/",
        "GET",
        "/careplans/{group}/versions/{group_v1}/",
        BETWEEN_PLAN,
    ),
    Row("careplans/<uuid:id>/history/", "GET", "/careplans/{group}/history/", BETWEEN_PLAN),
    Row("careplans/<uuid:id>/propose/", "GET", "/careplans/{group}/propose/", BETWEEN_PLAN),
    Row("careplans/", "GET", "/careplans/", page()),
    Row("api/v1/careplans/<plan_id>", "GET", "/api/v1/careplans/{group}", BETWEEN_PLAN_API),
    Row(
        "api/v1/careplans/<plan_id>/versions",
        "GET",
        "/api/v1/careplans/{group}/versions",
        BETWEEN_PLAN_API,
    ),
    Row(
        "api/v1/careplans/<plan_id>/versions/<version_id>",
        "GET",
        "/api/v1/careplans/{group}/versions/{group_v1}",
        BETWEEN_PLAN_API,
    ),
    Row("api/v1/careplans", "GET", "/api/v1/careplans", API_OWN),
    # Bob reads alice's revealed action item, but only she marks it done (last: alice's row
    # marks it).
    Row(
        "rituals/actions/<uuid:id>/done/",
        "POST",
        "/rituals/actions/{alices_item}/done/",
        {"anonymous": LOGIN, "alice": 302, "bob": 404, "carol": 404, "mallory": 404},
    ),
]

# What each persona must never read here. Carol's tender place left with her, so nobody reads it
# on the plan (carol herself cannot open the plan any more).
NEVER: dict[str, tuple[str, ...]] = {
    "anonymous": (OWN_PRACTICE, *PLAN_WORDS.values()),
    "mallory": (OWN_PRACTICE, *PLAN_WORDS.values()),
    "alice": (PLAN_WORDS["carol"],),
    "bob": (OWN_PRACTICE, PLAN_WORDS["carol"]),
    "carol": (OWN_PRACTICE, PLAN_WORDS["alice"], PLAN_WORDS["bob"]),
}


@pytest.fixture
def between_things(alice: User, bob: User, carol: User) -> dict[str, str]:
    from tend.careplans.services import agreement_give, careplan_create, proposal_create
    from tend.connections.services import connection_end
    from tend.connections.tests.factories import connect, share
    from tend.practices.tests.factories import own_practice_that_helped
    from tend.rituals.models import ActionItem
    from tend.rituals.services import checkin_answer, checkin_start

    own_practice_that_helped(alice, name=OWN_PRACTICE)
    with_bob, with_carol = connect(alice, bob), connect(alice, carol)
    connect(bob, carol)
    summary = share(alice, with_bob, "weekly_summary")
    trigger_map = share(alice, with_bob, "trigger_map")
    checkin = checkin_start(actor=alice, connection=with_bob)
    checkin_answer(
        actor=alice, checkin=checkin, answers={"went_well": "a walk"}, action_items=["Call"]
    )
    checkin_answer(actor=bob, checkin=checkin, answers={"went_well": "yes"}, action_items=[])
    group = careplan_create(actor=alice, connections=[with_bob, with_carol])
    people = {"alice": alice, "bob": bob, "carol": carol}
    places = [{"owner": str(p.id), "name": PLAN_WORDS[n]} for n, p in people.items()]
    v1 = proposal_create(actor=alice, plan=group, content={"places": places})
    agreement_give(actor=bob, plan=group, version=v1)
    agreement_give(actor=carol, plan=group, version=v1)
    connection_end(actor=alice, connection=with_carol)
    return {
        "summary": str(summary.id),
        "map": str(trigger_map.id),
        "checkin": str(checkin.id),
        "alices_item": str(ActionItem.objects.get(checkin=checkin, author=alice).id),
        "group": str(group.id),
        "group_v1": str(v1.id),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_between_people_each_persona_gets_what_the_table_says(
    persona: str, personas: dict[str, User | None], between_things: dict[str, str]
) -> None:
    from django.core.cache import caches

    # The maps kept for alice come from her first ask; start with none kept.
    caches["insights"].clear()
    mismatches = []
    for row in BETWEEN:
        path = row.path.format(**between_things)
        response = _request(_fresh_client_for(personas[persona]), row, path)
        if (mismatch := _mismatch(row, path, response, row.expect[persona])) is not None:
            mismatches.append(mismatch)
        body = _body(response).decode()
        for words in NEVER[persona]:
            assert words not in body, f"{persona} read {words} at {path}"
        if persona == "alice" and row.route in ("insights/", "api/v1/insights/map"):
            assert OWN_PRACTICE in body, "alice's own map names her own practice"
        if persona == "bob" and any(k in row.path for k in ("{summary}", "{map}", "{checkin}")):
            # So the rows look where the practice would be: what helped her is there, unnamed.
            assert "a practice of their own" in body, path
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


def test_between_rows_name_routes_that_exist() -> None:
    stale = {row.route for row in BETWEEN} - _routes()
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"
