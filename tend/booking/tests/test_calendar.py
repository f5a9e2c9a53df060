"""The practitioner's external calendar, read from a local HTTP server this test starts."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.booking import calendars, services
from tend.booking.models import BusyInterval, ExternalCalendar
from tend.booking.tests.factories import days_ahead, default_call, local, practitioner
from tend.conftest import client_for

PORT = 8353  # within the ports this work may use


def _weekly_busy(day: dt.date) -> bytes:
    """A weekly busy hour at 10:00 Berlin time, from a week before ``day``."""
    first = day - dt.timedelta(days=7)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;TZID=Europe/Berlin:{first:%Y%m%d}T100000\r\n"
        f"DTEND;TZID=Europe/Berlin:{first:%Y%m%d}T110000\r\n"
        "RRULE:FREQ=WEEKLY\r\nSUMMARY:Private appointment\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    body_for_ok = b""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/ok.ics":
            self._answer(200, self.body_for_ok, "text/calendar")
        elif self.path == "/page":
            self._answer(200, b"<!doctype html><title>Sign in</title>", "text/html")
        elif self.path == "/slow":
            time.sleep(3)
            self._answer(200, b"", "text/calendar")
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()  # no length: the reader must stop by itself
            chunk = b"X" * 1_000_000
            try:
                for _n in range(50):  # 50 MB
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._answer(404, b"", "text/plain")

    def _answer(self, status: int, body: bytes, kind: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the reader gave up first (the slow answer), as it should


@pytest.fixture
def calendar_server(settings: Any) -> Iterator[str]:
    # The calendar server runs on loopback, which only an operator's setting lets Tend fetch.
    settings.TEND_BOOKING_FEED_ALLOW_PRIVATE = True
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", PORT), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{PORT}"
    server.shutdown()
    server.server_close()


def _set(carol: User, url: str, capture: Any) -> str:
    with capture(execute=True):
        response = client_for(carol).post("/booking/calendar/", {"url": url})
    assert response.status_code == 302
    return client_for(carol).get("/booking/hours/").content.decode()


def test_recurring_busy_events_are_honoured_and_only_times_are_kept(
    carol: User, calendar_server: str, django_capture_on_commit_callbacks: Any
) -> None:
    practitioner(carol)
    call = default_call(carol)
    day = days_ahead(3)
    _Handler.body_for_ok = _weekly_busy(day)
    page = _set(carol, f"{calendar_server}/ok.ics", django_capture_on_commit_callbacks)
    assert "up to date" in page
    calendar = ExternalCalendar.objects.get(practitioner=carol)
    assert calendar.status == "ok" and calendar.last_success_at is not None
    assert BusyInterval.objects.filter(calendar=calendar, start=local(day, 10)).exists()
    html = (
        Client()
        .get(f"/book/carol/{call.id}/", {"zone": "Europe/Berlin", "from": day.isoformat()})
        .content.decode()
    )
    week_later = day + dt.timedelta(days=7)
    assert ">09:30<" in html and ">11:00<" in html
    assert ">10:00<" not in html.split(f"{day:%A} {day.day} {day:%B}</h3>")[1].split("</ul>")[0]
    # A week later the series still blocks the hour.
    free = services.selectors.free_slots_for(
        call_type=call,
        time_zone="Europe/Berlin",
        now=dt.datetime.now(dt.UTC),
        window_start=local(week_later, 0),
        window_end=local(week_later, 23),
    )
    assert local(week_later, 10) not in free and local(week_later, 11) in free
    assert b"Private appointment" not in b"".join(
        str(v).encode() for v in BusyInterval.objects.values_list("start", "end")
    )


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/page", "not_icalendar", "a web page, not a calendar"),
        ("/huge", "too_large", "too large to read"),
        ("/slow", "timeout", "took too long to answer"),
        ("/missing.ics", "http_error", "refused the address"),
    ],
)
def test_a_calendar_that_cannot_be_read_shows_a_plain_status_and_keeps_nothing_half_done(
    carol: User,
    calendar_server: str,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    status: str,
    words: str,
) -> None:
    practitioner(carol)
    monkeypatch.setattr(calendars, "CALENDAR_TIMEOUT", 1.0)
    page = _set(carol, f"{calendar_server}{path}", django_capture_on_commit_callbacks)
    calendar = ExternalCalendar.objects.get(practitioner=carol)
    assert calendar.status == status
    assert words in page
    assert not BusyInterval.objects.filter(calendar=calendar).exists()


def test_an_address_that_is_not_http_is_refused_with_what_to_paste(carol: User) -> None:
    practitioner(carol)
    client = client_for(carol)
    response = client.post("/booking/calendar/", {"url": "file:///etc/passwd"}, follow=True)
    assert "starts with https://" in response.content.decode()
    assert not ExternalCalendar.objects.exists()


def test_the_periodic_refresh_claims_each_calendar_for_one_worker(
    carol: User, calendar_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    practitioner(carol)
    _Handler.body_for_ok = _weekly_busy(days_ahead(3))
    ExternalCalendar.objects.create(practitioner=carol, url=f"{calendar_server}/ok.ics")
    now = dt.datetime.now(dt.UTC)
    assert services.calendars_refresh_due(now=now) == 1
    assert services.calendars_refresh_due(now=now) == 0  # fetched moments ago
    assert services.calendars_refresh_due(now=now + services.CALENDAR_EVERY * 2) == 1
