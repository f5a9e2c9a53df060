"""The practitioner's settings pages and the public booking page, without JavaScript."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.testcases import _StaticFilesHandler

from tend.accounts.models import User
from tend.booking import limits
from tend.booking.models import Booking, CallType, PractitionerProfile, WeeklyHours
from tend.booking.tests.factories import (
    book,
    call_type,
    days_ahead,
    default_call,
    iso,
    live_server,
    local,
    page_form,
    practitioner,
)
from tend.conftest import client_for

CANARY = "CANARY-page-intake-91ab"
CROWD_PORT = 8351  # within the ports this work may use


def _form(start: dt.datetime, **overrides: Any) -> dict[str, Any]:
    return page_form(start, **{"what_brings": CANARY, **overrides})


def test_turning_on_makes_the_trigger_mapping_call_and_a_public_page(carol: User) -> None:
    client = client_for(carol)
    assert client.get("/booking/").status_code == 200
    assert not PractitionerProfile.objects.filter(user=carol).exists()  # off by default
    response = client.post("/booking/", {"action": "on"})
    assert response.status_code == 302
    profile = PractitionerProfile.objects.get(user=carol)
    call = CallType.objects.get(practitioner=carol)
    assert (call.name, call.duration_minutes, call.is_default) == ("Trigger Mapping Call", 30, True)
    assert call.reminder_offsets == [1440, 60]
    page = Client().get(f"/book/{profile.slug}/")
    assert page.status_code == 200
    assert b"Trigger Mapping Call" in page.content


def test_turning_off_hides_the_page_like_an_unknown_slug_and_keeps_booked_calls(
    carol: User,
) -> None:
    practitioner(carol)
    call = default_call(carol)
    book(call, local(days_ahead(), 10))
    client_for(carol).post("/booking/", {"action": "off"})
    visitor = Client()
    assert visitor.get("/book/carol/").status_code == 404
    assert visitor.get("/book/nobody/").status_code == 404
    assert visitor.get(f"/book/carol/{call.id}/").status_code == 404
    assert Booking.objects.filter(practitioner=carol, status="confirmed").count() == 1


def test_free_times_are_shown_by_day_in_the_visitors_zone_in_words(carol: User) -> None:
    practitioner(carol)  # Berlin, 09:00-17:00 every day
    call = default_call(carol)
    day = days_ahead(3)
    response = Client().get(
        f"/book/carol/{call.id}/", {"zone": "America/New_York", "from": day.isoformat()}
    )
    html = response.content.decode()
    assert response.status_code == 200
    # 10:00 in Berlin is 04:00 in New York for most of the year and 05:00 for a few weeks of
    # spring and autumn, when only one of the two has changed its clocks.
    berlin_ten = local(day, 10)
    ny = berlin_ten.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert f">{ny:%H:%M}<" in html
    assert "New York time" in html
    assert f"{ny:%A} {ny.day} {ny:%B}, {ny:%H:%M} New York time" in html


def test_the_zone_select_offers_every_zone_with_the_shown_one_selected(carol: User) -> None:
    practitioner(carol)
    call = default_call(carol)
    html = Client().get(f"/book/carol/{call.id}/", {"zone": "America/New_York"}).content.decode()
    assert '<select name="zone" id="id_zone">' in html
    assert '<option value="America/New_York" selected>America/New York</option>' in html
    assert html.count(" selected>") == 1
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in html


def test_an_unknown_zone_shows_the_practitioners_zone_and_says_so(carol: User) -> None:
    practitioner(carol)
    response = Client().get(f"/book/carol/{default_call(carol).id}/", {"zone": "Mars/Olympus"})
    html = response.content.decode()
    assert "did not recognise that time zone" in html
    assert "Berlin time" in html


def test_a_visitor_books_without_javascript_and_sees_the_time_in_their_zone(
    carol: User,
) -> None:
    practitioner(carol)
    call = default_call(carol)
    call.location = "https://video.example.test/carol"
    call.consents = ["I understand this call is not therapy."]
    call.save()
    start = local(days_ahead(), 10)
    visitor = Client()
    form_page = visitor.get(
        f"/book/carol/{call.id}/details/", {"start": iso(start), "zone": "America/New_York"}
    )
    assert form_page.status_code == 200
    assert b"Fawn" in form_page.content  # the journal's states, fawn included
    response = visitor.post(
        f"/book/carol/{call.id}/details/", _form(start, consent0="on"), follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/book/manage/")
    html = response.content.decode()
    assert "New York time" in html
    assert "https://video.example.test/carol" in html  # the place, once booked
    booking = Booking.objects.get()
    assert booking.start == start and booking.booker_zone == "America/New_York"
    intake = json.loads(booking.intake)
    assert intake["what_brings"] == CANARY
    assert intake["moment"] == {"states": ["fawn", "freeze"], "region": "chest", "intensity": 6}
    assert booking.consents[0]["text"] == "I understand this call is not therapy."


def test_a_taken_time_offers_the_nearest_free_times_and_keeps_what_was_typed(
    carol: User,
) -> None:
    practitioner(carol)
    call = default_call(carol)
    start = local(days_ahead(), 10)
    book(call, start)
    response = Client().post(f"/book/carol/{call.id}/details/", _form(start))
    html = response.content.decode()
    assert response.status_code == 409
    assert "That time was just taken." in html
    assert 'name="start"' in html and 'type="radio"' in html
    assert iso(start + dt.timedelta(minutes=30)) in html  # the next half hour is free
    assert CANARY in html  # what they wrote is still in the form
    assert Booking.objects.count() == 1


def test_missing_consent_says_what_to_fix_and_keeps_what_was_typed(carol: User) -> None:
    practitioner(carol)
    call = default_call(carol)
    call.consents = ["I understand this call is not therapy."]
    call.save()
    response = Client().post(f"/book/carol/{call.id}/details/", _form(local(days_ahead(), 10)))
    assert response.status_code == 400
    assert CANARY in response.content.decode()
    assert Booking.objects.count() == 0


def test_the_honeypot_stores_nothing(carol: User) -> None:
    practitioner(carol)
    call = default_call(carol)
    response = Client().post(
        f"/book/carol/{call.id}/details/",
        _form(local(days_ahead(), 10), website="http://spam.example"),
    )
    assert response.status_code == 400
    assert Booking.objects.count() == 0


def test_too_many_attempts_from_one_address_or_for_one_email_are_refused(
    carol: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    practitioner(carol)
    call = default_call(carol)
    url = f"/book/carol/{call.id}/details/"
    day = days_ahead()
    visitor = Client()
    # The same email, trying times that are not offered (07:00 is outside hours).
    for _n in range(limits.PER_EMAIL):
        assert visitor.post(url, _form(local(day, 7))).status_code == 400
    refused = visitor.post(url, _form(local(day, 10)))
    assert refused.status_code == 429
    assert "wait an hour" in refused.content.decode() and CANARY in refused.content.decode()
    left = limits.PER_ADDRESS - limits.PER_EMAIL - 1  # this address's attempts still allowed
    monkeypatch.setattr(limits, "PER_EMAIL", 1000)
    for n in range(left):
        visitor.post(url, _form(local(day, 7), email=f"other{n}@example.test"))
    assert visitor.post(url, _form(local(day, 10), email="new@example.test")).status_code == 429
    assert Booking.objects.count() == 0


def test_the_hours_page_has_its_title_and_one_calendar_section(carol: User) -> None:
    practitioner(carol)
    html = client_for(carol).get("/booking/hours/").content.decode()
    assert "<title>Your hours · Tend</title>" in html
    assert html.count('id="calendar-heading"') == 1


def test_weekly_hours_are_saved_and_a_bad_range_says_how_to_write_it(carol: User) -> None:
    practitioner(carol)
    client = client_for(carol)
    days = {f"day{d}": "" for d in range(7)}
    response = client.post("/booking/hours/", {**days, "day1": "09:00-12:00, 13:00-17:00"})
    assert response.status_code == 302
    assert [(h.start, h.end) for h in WeeklyHours.objects.filter(practitioner=carol)] == [
        (dt.time(9), dt.time(12)),
        (dt.time(13), dt.time(17)),
    ]
    response = client.post("/booking/hours/", {**days, "day2": "nine to five"})
    assert response.status_code == 400
    assert b"09:00-12:00" in response.content
    assert b"nine to five" in response.content


def test_a_day_off_removes_that_dates_free_times(carol: User) -> None:
    practitioner(carol)
    call = default_call(carol)
    day = days_ahead(4)
    client_for(carol).post("/booking/hours/overrides/", {"date": day.isoformat(), "hours": ""})
    html = (
        Client()
        .get(f"/book/carol/{call.id}/", {"zone": "Europe/Berlin", "from": day.isoformat()})
        .content.decode()
    )
    next_day = day + dt.timedelta(days=1)
    assert f">{next_day:%A} {next_day.day} {next_day:%B}</h3>" in html
    assert f">{day:%A} {day.day} {day:%B}</h3>" not in html


def test_a_call_type_is_saved_from_its_form(carol: User) -> None:
    practitioner(carol)
    response = client_for(carol).post(
        "/booking/call-types/new/",
        {
            "name": "Follow-up",
            "duration_minutes": "60",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "15",
            "notice_hours": "24",
            "horizon_days": "30",
            "daily_limit": "2",
            "step_minutes": "60",
            "location_kind": "phone",
            "location": "+49 30 1234567",
            "consents_text": "I am over 18.\n",
            "questions_text": (
                "*one: How did you hear of me? | A friend; A search\nlong: Anything else?"
            ),
            "reminders_text": "48, 2",
            "cancellation_note": "",
        },
    )
    assert response.status_code == 302
    made = CallType.objects.get(practitioner=carol, name="Follow-up")
    assert (made.min_notice_minutes, made.daily_limit, made.reminder_offsets) == (
        1440,
        2,
        [2880, 120],
    )
    assert made.consents == ["I am over 18."]
    assert [(q["kind"], q["label"], q["choices"], q["required"]) for q in made.questions] == [
        ("one", "How did you hear of me?", ["A friend", "A search"], True),
        ("long", "Anything else?", [], False),
    ]
    # The visitor is asked them, and a required one must be answered.
    practitioner_page = Client().get(
        f"/book/carol/{made.id}/details/", {"start": iso(local(days_ahead(3), 10))}
    )
    assert b"How did you hear of me?" in practitioner_page.content


def _post_concurrently(posts: list[tuple[str, dict[str, Any]]]) -> list[int]:
    """POST each (url, body) from its own thread, all released at once; answer the statuses."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(posts[0][0].split("details/")[0]).read()  # sets the CSRF cookie
    token = next(c.value for c in jar if c.name == "csrftoken")
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = []
    lock = threading.Lock()

    def post(url: str, body: dict[str, Any]) -> None:
        data = urllib.parse.urlencode({**body, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(url, data=data.encode(), method="POST")  # noqa: S310
        request.add_header("Cookie", f"csrftoken={token}")
        barrier.wait()
        try:
            opener = urllib.request.build_opener(NoRedirect)
            with opener.open(request, timeout=120) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=post, args=post_args) for post_args in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connections.close_all()
    return statuses


@pytest.fixture
def crowd_server(transactional_db: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A live server (threads, each request on its own connection) on one of our ports.

    The hundred visitors share one address here, so its rate limit is lifted.
    """
    monkeypatch.setattr(limits, "PER_ADDRESS", 1000)
    with live_server(CROWD_PORT, _StaticFilesHandler) as url:
        yield url


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.mark.django_db(transaction=True)
def test_a_hundred_visitors_posting_one_time_to_the_live_server_book_it_once(
    carol: User, crowd_server: str
) -> None:
    practitioner(carol)
    call = default_call(carol)
    start = local(days_ahead(), 10)
    url = f"{crowd_server}/book/carol/{call.id}/details/"
    bodies = [_form(start, email=f"visitor{n}@example.test") for n in range(100)]
    statuses = _post_concurrently([(url, body) for body in bodies])
    assert sorted(set(statuses)) == [302, 409], statuses
    assert statuses.count(302) == 1 and statuses.count(409) == 99
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_hundred_visitors_posting_overlapping_30_and_60_minute_calls_book_one(
    carol: User, crowd_server: str
) -> None:
    practitioner(carol)
    short, longer = default_call(carol), call_type(carol, duration_minutes=60)
    day = days_ahead()
    base = f"{crowd_server}/book/carol"
    # An hour from 10:00 and half an hour from 10:30, interleaved and released together.
    posts = [
        (f"{base}/{longer.id}/details/", _form(local(day, 10), email=f"long{n}@example.test"))
        if n % 2
        else (
            f"{base}/{short.id}/details/",
            _form(local(day, 10, 30), email=f"short{n}@example.test"),
        )
        for n in range(100)
    ]
    statuses = _post_concurrently(posts)
    assert statuses.count(302) == 1 and statuses.count(409) == 99, statuses
    assert Booking.objects.count() == 1
