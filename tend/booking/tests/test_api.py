"""The booking API: public profile, slots and booking; manage by secret; the calls list."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.db.models import F
from django.test import Client

from tend.accounts.models import User
from tend.api.services import token_create
from tend.api.tests.conftest import assert_problem, bearer
from tend.booking import limits
from tend.booking.models import Booking, CallType
from tend.booking.services import booking_by_secret, profile_turn_off
from tend.booking.tests.factories import book, days_ahead, default_call, iso, local, practitioner

BASE = "/api/v1/booking"
CANARY = "CANARY-api-intake-7e1b"


@pytest.fixture
def call(carol: User) -> CallType:
    practitioner(carol, slug="carol")  # Europe/Berlin, 9 to 17 every day
    made = default_call(carol)
    made.location = "https://video.example.test/carol"
    made.consents = ["I understand this is not therapy."]
    made.save()
    return made


def _body(start: dt.datetime, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "start": iso(start),
        "name": "Robin",
        "email": "robin@example.test",
        "zone": "America/New_York",
        "intake": {"relationship": "open", "what_brings": CANARY},
        "consents": [0],
    }
    body.update(overrides)
    return body


def _post(client: Client, path: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def _book_path(call: CallType) -> str:
    return f"{BASE}/practitioners/carol/call-types/{call.id}/bookings"


def _shift(booking: Booking, delta: dt.timedelta) -> None:
    """Move a booking in time behind the services' back, as if days had passed."""
    Booking.objects.filter(id=booking.id).update(
        start=F("start") + delta,
        end=F("end") + delta,
        block_start=F("block_start") + delta,
        block_end=F("block_end") + delta,
    )


def _secret(value: str) -> dict[str, Any]:
    return {"HTTP_BOOKING_SECRET": value}


# --- Public ---------------------------------------------------------------------------------


def test_the_public_profile_lists_the_call_types_with_no_token(call: CallType) -> None:
    response = Client().get(f"{BASE}/practitioners/carol")
    assert response.status_code == 200
    body = response.json()
    assert body["public_name"] == "Carol" and body["time_zone"] == "Europe/Berlin"
    assert [c["id"] for c in body["call_types"]] == [str(call.id)]
    # Where the call happens is told only after booking.
    assert "video.example.test" not in response.content.decode()


def test_a_profile_turned_off_is_the_same_404_as_an_unknown_slug(
    call: CallType, carol: User
) -> None:
    profile_turn_off(actor=carol)
    off = assert_problem(Client().get(f"{BASE}/practitioners/carol"), 404)
    unknown = assert_problem(Client().get(f"{BASE}/practitioners/nobody"), 404)
    assert off == unknown
    path = f"{BASE}/practitioners/carol/call-types/{call.id}/slots"
    assert_problem(
        Client().get(
            path, {"zone": "UTC", "start": "2030-01-01T00:00Z", "end": "2030-01-02T00:00Z"}
        ),
        404,
    )


def test_slots_are_free_times_in_the_visitors_zone(call: CallType) -> None:
    day = days_ahead()
    taken = local(day, 10)
    book(call, taken)
    start, end = local(day, 0), local(day + dt.timedelta(days=1), 0)
    response = Client().get(
        f"{BASE}/practitioners/carol/call-types/{call.id}/slots",
        {"zone": "America/New_York", "start": iso(start), "end": iso(end)},
    )
    assert response.status_code == 200
    body = response.json()
    starts = [s["start"] for s in body["slots"]]
    assert iso(local(day, 9)) in starts and iso(taken) not in starts
    first = body["slots"][0]
    assert "New York time" in first["words"]
    assert dt.datetime.fromisoformat(first["local"]) == dt.datetime.fromisoformat(first["start"])
    assert dt.datetime.fromisoformat(first["local"]).utcoffset() != dt.timedelta(0)


@pytest.mark.parametrize(
    ("query", "location"),
    [
        (
            {"zone": "Mars/Olympus", "start": "2030-01-01T00:00Z", "end": "2030-01-02T00:00Z"},
            "zone",
        ),
        ({"zone": "UTC", "start": "2030-01-02T00:00Z", "end": "2030-01-01T00:00Z"}, "end"),
        ({"zone": "UTC", "start": "2030-01-01T00:00Z", "end": "2030-03-01T00:00Z"}, "end"),
        ({"zone": "UTC", "start": "2030-01-01T00:00", "end": "2030-01-02T00:00Z"}, "start"),
    ],
)
def test_an_unknown_zone_or_a_bad_window_is_a_422_that_says_where(
    call: CallType, query: dict[str, str], location: str
) -> None:
    response = Client().get(f"{BASE}/practitioners/carol/call-types/{call.id}/slots", query)
    body = assert_problem(response, 422)
    assert body["errors"][0]["location"] == f"query.{location}"


def test_booking_needs_no_token_or_csrf_and_answers_the_manage_secret(call: CallType) -> None:
    start = local(days_ahead(), 11)
    client = Client(enforce_csrf_checks=True)
    response = _post(client, _book_path(call), _body(start))
    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get()
    assert booking.start == start and booking.booker_zone == "America/New_York"
    assert booking_by_secret(body["manage_secret"]) == booking
    assert body["location"] == "https://video.example.test/carol"
    assert CANARY not in response.content.decode()  # the intake is never echoed
    assert [c["text"] for c in booking.consents] == ["I understand this is not therapy."]


def test_booking_without_consent_or_with_a_bad_intake_stores_nothing(call: CallType) -> None:
    start = local(days_ahead(), 11)
    body = assert_problem(_post(Client(), _book_path(call), _body(start, consents=[])), 422)
    assert body["errors"][0]["location"] == "body.consents"
    bad_intake = _body(start, intake={"relationship": "nope", "what_brings": "x"})
    body = assert_problem(_post(Client(), _book_path(call), bad_intake), 422)
    assert body["errors"][0]["location"] == "body.relationship"
    assert not Booking.objects.exists()


def test_the_honeypot_refuses_and_stores_nothing(call: CallType) -> None:
    start = local(days_ahead(), 11)
    response = _post(Client(), _book_path(call), _body(start, website="http://spam.example"))
    assert_problem(response, 400)
    assert not Booking.objects.exists()


def test_a_time_just_taken_is_a_409_with_the_nearest_free_times(call: CallType) -> None:
    start = local(days_ahead(), 11)
    book(call, start, email="first@example.test")
    response = _post(Client(), _book_path(call), _body(start))
    body = assert_problem(response, 409)
    assert body["type"] == "urn:tend:problem:slot-taken"
    nearest = [n["start"] for n in body["nearest"]]
    assert nearest and iso(start) not in nearest
    assert iso(local(days_ahead(), 11, 30)) in nearest
    assert Booking.objects.count() == 1


def test_a_time_never_offered_is_a_422_with_the_nearest_free_times(call: CallType) -> None:
    response = _post(Client(), _book_path(call), _body(local(days_ahead(), 3)))
    body = assert_problem(response, 422)
    assert body["type"] == "urn:tend:problem:slot-not-offered" and body["nearest"]


def test_booking_is_rate_limited_with_retry_after(call: CallType) -> None:
    start = local(days_ahead(), 11)
    # A quarter of the way into an hour's window: Retry-After names the rest of that window.
    hour = (int(time.time()) // limits.WINDOW + 1) * limits.WINDOW
    with (
        mock.patch.object(limits, "PER_EMAIL", 0),
        time_machine.travel(hour + limits.WINDOW // 4, tick=False),
    ):
        response = _post(Client(), _book_path(call), _body(start))
    assert_problem(response, 429)
    assert response["Retry-After"] == str(limits.WINDOW - limits.WINDOW // 4)
    assert not Booking.objects.exists()


def test_a_retry_with_the_same_idempotency_key_answers_the_same_booking(call: CallType) -> None:
    start = local(days_ahead(), 11)
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-key-0001"}
    first = _post(Client(), _book_path(call), _body(start), **key)
    again = _post(Client(), _book_path(call), _body(start), **key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Booking.objects.count() == 1
    # The same key with another body is a conflict, not a second booking.
    other = _post(Client(), _book_path(call), _body(local(days_ahead(), 12)), **key)
    assert_problem(other, 409)
    assert Booking.objects.count() == 1
    # Without the key (or with another) the same body is a new attempt: that time is taken.
    assert _post(Client(), _book_path(call), _body(start)).status_code == 409


def test_a_refused_attempt_leaves_the_idempotency_key_free_for_a_retry(call: CallType) -> None:
    start = local(days_ahead(), 11)
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-key-0002"}
    assert _post(Client(), _book_path(call), _body(start, consents=[]), **key).status_code == 422
    assert _post(Client(), _book_path(call), _body(start, consents=[]), **key).status_code == 422
    assert not Booking.objects.exists()
    # A time someone else took is answered as such on each retry, never "in progress".
    book(call, start, email="first@example.test")
    assert _post(Client(), _book_path(call), _body(start), **key).status_code == 409
    assert _post(Client(), _book_path(call), _body(start), **key).status_code == 409
    # And once a free time is sent with the key, it is booked.
    later = local(days_ahead(), 13)
    assert _post(Client(), _book_path(call), _body(later), **key).status_code == 201


# --- Manage by secret -----------------------------------------------------------------------


def test_the_secret_reads_the_booking_without_its_intake(call: CallType) -> None:
    booking, secret = book(
        call, local(days_ahead(), 11), intake={"relationship": "open", "what_brings": CANARY}
    )
    response = Client().get(f"{BASE}/manage", **_secret(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["start"] == iso(booking.start) and body["practitioner"]["slug"] == "carol"
    assert CANARY not in response.content.decode()


def test_a_forged_cancelled_or_past_secret_is_the_same_404(call: CallType) -> None:
    _cancelled, cancelled_secret = book(call, local(days_ahead(), 11))
    assert (
        Client()
        .post(
            f"{BASE}/manage/cancel",
            data="{}",
            content_type="application/json",
            **_secret(cancelled_secret),
        )
        .status_code
        == 204
    )
    past, past_secret = book(call, local(days_ahead(), 13), email="past@example.test")
    _shift(past, -dt.timedelta(days=30))
    answers = [
        assert_problem(Client().get(f"{BASE}/manage", **_secret(s)), 404)
        for s in ("forged-secret-0000", cancelled_secret, past_secret)
    ]
    assert answers[0] == answers[1] == answers[2]
    assert_problem(Client().get(f"{BASE}/manage"), 422)  # no secret at all: say what to send


def test_the_booker_moves_to_a_free_time_and_the_old_secret_stops(call: CallType) -> None:
    booking, secret = book(call, local(days_ahead(), 11))
    later = local(days_ahead(), 14)
    slots = (
        Client()
        .get(
            f"{BASE}/manage/slots",
            {
                "zone": "UTC",
                "start": iso(local(days_ahead(), 0)),
                "end": iso(local(days_ahead(1 + 5), 0)),
            },
            **_secret(secret),
        )
        .json()["slots"]
    )
    assert iso(later) in [s["start"] for s in slots]
    assert iso(booking.start) not in [s["start"] for s in slots]
    response = _post(Client(), f"{BASE}/manage/move", {"start": iso(later)}, **_secret(secret))
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert booking.start == later and booking.sequence == 1
    assert Client().get(f"{BASE}/manage", **_secret(secret)).status_code == 404
    new = response.json()["manage_secret"]
    assert Client().get(f"{BASE}/manage", **_secret(new)).json()["start"] == iso(later)


def test_moving_to_a_taken_time_is_a_409_with_the_nearest(call: CallType) -> None:
    _booking, secret = book(call, local(days_ahead(), 11))
    other = local(days_ahead(), 14)
    book(call, other, email="other@example.test")
    response = _post(Client(), f"{BASE}/manage/move", {"start": iso(other)}, **_secret(secret))
    body = assert_problem(response, 409)
    assert body["nearest"] and iso(other) not in [n["start"] for n in body["nearest"]]


def test_the_booker_cancels_with_a_reason(call: CallType) -> None:
    booking, secret = book(call, local(days_ahead(), 11))
    response = _post(
        Client(), f"{BASE}/manage/cancel", {"reason": "Something came up"}, **_secret(secret)
    )
    assert response.status_code == 204
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancelled_by == "booker"
    assert booking.cancel_reason == "Something came up"


def test_one_bookings_secret_cannot_read_or_change_another(call: CallType) -> None:
    mine, my_secret = book(call, local(days_ahead(), 11))
    theirs, _their_secret = book(call, local(days_ahead(), 13), email="theirs@example.test")
    # The secret opens exactly its own booking, and a change by it touches only that one.
    assert Client().get(f"{BASE}/manage", **_secret(my_secret)).json()["start"] == iso(mine.start)
    _post(Client(), f"{BASE}/manage/cancel", {}, **_secret(my_secret))
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED
    # Nor does any path parameter let a secret reach another booking: there is none to give.
    assert Client().get(f"{BASE}/manage/{theirs.id}", **_secret(my_secret)).status_code == 404


# --- The practitioner's calls ---------------------------------------------------------------


@pytest.fixture
def carol_read(carol: User) -> dict[str, Any]:
    return bearer(token_create(user=carol, name="read", scope="read")[1])


@pytest.fixture
def carol_write(carol: User) -> dict[str, Any]:
    return bearer(token_create(user=carol, name="write", scope="write")[1])


def test_the_practitioner_lists_upcoming_and_past_calls_with_cursors(
    call: CallType, carol_read: dict[str, Any]
) -> None:
    made = [book(call, local(days_ahead(), h), email=f"p{h}@example.test")[0] for h in (10, 11, 12)]
    past = made[0]
    _shift(past, -dt.timedelta(days=20))
    first = Client().get(f"{BASE}/calls", {"limit": 1}, **carol_read).json()
    assert [i["id"] for i in first["items"]] == [str(made[1].id)]
    second = (
        Client()
        .get(f"{BASE}/calls", {"limit": 1, "cursor": first["next_cursor"]}, **carol_read)
        .json()
    )
    assert [i["id"] for i in second["items"]] == [str(made[2].id)]
    assert second["next_cursor"] is None
    past_page = Client().get(f"{BASE}/calls", {"when": "past"}, **carol_read).json()
    assert [i["id"] for i in past_page["items"]] == [str(past.id)]
    cancelled = Client().get(f"{BASE}/calls", {"status": "cancelled"}, **carol_read).json()
    assert cancelled["items"] == []


def test_one_call_with_its_intake_for_the_practitioner_alone(
    call: CallType, carol_read: dict[str, Any], mallory: User
) -> None:
    booking, _secret_value = book(
        call, local(days_ahead(), 11), intake={"relationship": "open", "what_brings": CANARY}
    )
    response = Client().get(f"{BASE}/calls/{booking.id}", **carol_read)
    assert response.json()["intake"]["what_brings"] == CANARY
    mallorys: dict[str, Any] = bearer(token_create(user=mallory, name="m", scope="read")[1])
    assert_problem(Client().get(f"{BASE}/calls/{booking.id}", **mallorys), 404)


def test_a_malformed_call_id_is_the_same_404_as_an_unknown_one(
    call: CallType, carol_read: dict[str, Any]
) -> None:
    assert_problem(Client().get(f"{BASE}/calls/not-a-call", **carol_read), 404)
    assert_problem(Client().get(f"{BASE}/calls/{uuid.uuid4()}", **carol_read), 404)


def test_a_read_token_cannot_change_a_call(call: CallType, carol_read: dict[str, Any]) -> None:
    booking, _s = book(call, local(days_ahead(), 11))
    response = _post(Client(), f"{BASE}/calls/{booking.id}/cancel", {}, **carol_read)
    assert_problem(response, 403)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_the_practitioner_marks_cancels_moves_and_notes(
    call: CallType, carol_write: dict[str, Any]
) -> None:
    started, _s1 = book(call, local(days_ahead(), 11))
    _shift(started, -dt.timedelta(days=7))
    marked = _post(
        Client(), f"{BASE}/calls/{started.id}/mark", {"status": "no_show"}, **carol_write
    )
    assert marked.json()["status"] == "no_show"

    upcoming, _s2 = book(call, local(days_ahead(), 12), email="u@example.test")
    early = _post(
        Client(), f"{BASE}/calls/{upcoming.id}/mark", {"status": "attended"}, **carol_write
    )
    assert_problem(early, 422)

    later = local(days_ahead(), 15)
    moved = _post(
        Client(), f"{BASE}/calls/{upcoming.id}/move", {"start": iso(later)}, **carol_write
    )
    assert moved.status_code == 200 and moved.json()["start"] == iso(later)

    noted = Client().put(
        f"{BASE}/calls/{upcoming.id}/notes",
        data=json.dumps({"notes": "Ask about the weekend."}),
        content_type="application/json",
        **carol_write,
    )
    assert noted.json()["notes"] == "Ask about the weekend."

    cancelled = _post(
        Client(), f"{BASE}/calls/{upcoming.id}/cancel", {"reason": "Ill"}, **carol_write
    )
    assert (
        cancelled.json()["status"] == "cancelled"
        and cancelled.json()["cancelled_by"] == "practitioner"
    )
    again = _post(Client(), f"{BASE}/calls/{upcoming.id}/cancel", {}, **carol_write)
    assert_problem(again, 409)


def test_the_practitioner_moving_onto_a_taken_time_gets_409(
    call: CallType, carol_write: dict[str, Any]
) -> None:
    booking, _s = book(call, local(days_ahead(), 11))
    other = local(days_ahead(), 13)
    book(call, other, email="o@example.test")
    response = _post(
        Client(), f"{BASE}/calls/{booking.id}/move", {"start": iso(other)}, **carol_write
    )
    assert_problem(response, 409)
    booking.refresh_from_db()
    assert booking.start == local(days_ahead(), 11)
