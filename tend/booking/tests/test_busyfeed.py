"""Reading a practitioner's external calendar, against a real HTTP server started by the test.

Every failure must come back as a status the practitioner's page can explain, never as an
exception, and the secret address must never reach the logs.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import threading
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from tend.booking.busyfeed import STATUSES, NotICalendar, fetch_busy, parse_busy, status_words
from tend.booking.slots import Availability, CallRules, Hours, slot_is_free

BERLIN = ZoneInfo("Europe/Berlin")
SECRET = "s3cr3t-calendar-token"
WINDOW = {
    "window_start": datetime(2026, 3, 9, tzinfo=UTC),
    "window_end": datetime(2026, 4, 6, tzinfo=UTC),
}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# A weekly Monday meeting at 10:00 Berlin time across the March clock change, with one week
# left out (EXDATE) and one week moved to Tuesday afternoon (RECURRENCE-ID), plus events that
# must be ignored (cancelled, free), an all-day event, and two overlapping ones to merge.
WEEKLY = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Busy//EN\r
BEGIN:VEVENT\r
UID:weekly@test\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Supervision\r
DTSTART;TZID=Europe/Berlin:20260302T100000\r
DTEND;TZID=Europe/Berlin:20260302T110000\r
RRULE:FREQ=WEEKLY;BYDAY=MO\r
EXDATE;TZID=Europe/Berlin:20260316T100000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:weekly@test\r
DTSTAMP:20260101T000000Z\r
RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000\r
DTSTART;TZID=Europe/Berlin:20260324T150000\r
DTEND;TZID=Europe/Berlin:20260324T160000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:cancelled@test\r
DTSTAMP:20260101T000000Z\r
STATUS:CANCELLED\r
DTSTART:20260311T120000Z\r
DTEND:20260311T130000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:free@test\r
DTSTAMP:20260101T000000Z\r
TRANSP:TRANSPARENT\r
DTSTART:20260312T120000Z\r
DTEND:20260312T130000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:allday@test\r
DTSTAMP:20260101T000000Z\r
DTSTART;VALUE=DATE:20260402\r
DTEND;VALUE=DATE:20260403\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:first@test\r
DTSTAMP:20260101T000000Z\r
DTSTART:20260310T120000Z\r
DTEND:20260310T130000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:second@test\r
DTSTAMP:20260101T000000Z\r
DTSTART:20260310T123000Z\r
DURATION:PT90M\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:outside@test\r
DTSTAMP:20260101T000000Z\r
DTSTART:20260501T120000Z\r
DTEND:20260501T130000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""

WEEKLY_BUSY = (
    (utc("2026-03-09T09:00"), utc("2026-03-09T10:00")),  # Monday 10:00 CET
    (utc("2026-03-10T12:00"), utc("2026-03-10T14:00")),  # two overlapping events, merged
    # 16 March left out; 23 March moved to Tuesday 24 March, 15:00 CET
    (utc("2026-03-24T14:00"), utc("2026-03-24T15:00")),
    (utc("2026-03-30T08:00"), utc("2026-03-30T09:00")),  # Monday 10:00 CEST
    (utc("2026-04-01T22:00"), utc("2026-04-02T22:00")),  # all-day, on the Berlin clock
)


@dataclass
class Feed:
    """What the test's server answers and what it saw."""

    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    sent: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}?token={SECRET}"


@pytest.fixture(autouse=True)
def _loopback_allowed(settings: object) -> None:
    # These tests fetch from a server on 127.0.0.1, which only an operator's setting allows
    # (test_busyfeed_addresses.py shows that it is refused by default).
    settings.TEND_BOOKING_FEED_ALLOW_PRIVATE = True  # type: ignore[attr-defined]


@pytest.fixture
def feed() -> Iterator[Feed]:
    state = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append({k.lower(): v for k, v in self.headers.items()})
            route = state.routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404)
                return
            # The reader hangs up on a body too large, as it should.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


def answer(body: bytes, status: int = 200, **headers: str) -> Callable[..., None]:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", headers.pop("content_type", "text/calendar"))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def test_recurring_weekly_busy_events_are_honoured(feed: Feed) -> None:
    feed.routes["/cal.ics"] = answer(WEEKLY)
    result = fetch_busy(feed.url("/cal.ics"), zone=BERLIN, **WINDOW)
    assert result.status == "ok"
    assert result.http_status == 200
    assert result.busy == WEEKLY_BUSY


def test_the_busy_times_keep_those_calls_from_being_booked(feed: Feed) -> None:
    feed.routes["/cal.ics"] = answer(WEEKLY)
    busy = fetch_busy(feed.url("/cal.ics"), zone=BERLIN, **WINDOW).busy
    availability = Availability(zone=BERLIN, weekly={0: (Hours(time(9), time(12)),)}, overrides={})
    rules = CallRules(duration=timedelta(minutes=30), min_notice=timedelta(0))

    def free(text: str) -> bool:
        start = datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)
        now = datetime(2026, 3, 1, tzinfo=UTC)
        return slot_is_free(start=start, availability=availability, rules=rules, now=now, busy=busy)

    assert not free("2026-03-30T10:00")  # the weekly meeting, after the clock change
    assert not free("2026-03-30T10:30")
    assert free("2026-03-30T11:00")
    assert free("2026-03-16T10:00")  # the week left out
    assert free("2026-03-23T10:00")  # the week moved to Tuesday


def test_floating_times_and_dates_follow_the_calendars_zone_without_one_given() -> None:
    data = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Busy//EN\r
X-WR-TIMEZONE:America/New_York\r
BEGIN:VEVENT\r
UID:floating@test\r
DTSTAMP:20260101T000000Z\r
DTSTART:20260310T090000\r
DTEND:20260310T100000\r
END:VEVENT\r
END:VCALENDAR\r
"""
    assert parse_busy(data, **WINDOW) == ((utc("2026-03-10T13:00"), utc("2026-03-10T14:00")),)


def test_an_unchanged_calendar_answers_not_modified_with_its_etag(feed: Feed) -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("ETag", '"v1"')
            handler.end_headers()
            return
        answer(WEEKLY, ETag='"v1"', Last_Modified="Sun, 01 Mar 2026 10:00:00 GMT")(handler)

    feed.routes["/cal.ics"] = route
    first = fetch_busy(feed.url("/cal.ics"), zone=BERLIN, **WINDOW)
    assert (first.status, first.etag, first.last_modified) == (
        "ok",
        '"v1"',
        "Sun, 01 Mar 2026 10:00:00 GMT",
    )
    again = fetch_busy(
        feed.url("/cal.ics"),
        etag=first.etag,
        last_modified=first.last_modified,
        zone=BERLIN,
        **WINDOW,
    )
    assert again.status == "not_modified"
    assert again.http_status == 304
    assert again.busy == ()
    assert (again.etag, again.last_modified) == ('"v1"', "Sun, 01 Mar 2026 10:00:00 GMT")
    assert feed.requests[-1]["if-none-match"] == '"v1"'
    assert feed.requests[-1]["if-modified-since"] == "Sun, 01 Mar 2026 10:00:00 GMT"


def test_a_server_that_never_answers_times_out(feed: Feed) -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        feed.release.wait(30)

    feed.routes["/slow.ics"] = route
    result = fetch_busy(feed.url("/slow.ics"), timeout=0.5, **WINDOW)
    assert result.status == "timeout"
    assert result.busy == ()
    assert not feed.release.is_set()  # it gave up by itself, not because the server let go


def test_a_server_that_drips_its_answer_hits_the_total_deadline(feed: Feed) -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar")
        handler.end_headers()
        handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
        # One byte every 0.1 s never trips a socket timeout, only a total deadline.
        while not feed.release.wait(0.1):
            handler.wfile.write(b" ")
            handler.wfile.flush()

    feed.routes["/drip.ics"] = route
    result = fetch_busy(feed.url("/drip.ics"), timeout=1.0, **WINDOW)
    assert result.status == "timeout"
    assert not feed.release.is_set()


def fifty_megabytes(feed: Feed, *, announce: bool) -> Callable[..., None]:
    def route(handler: BaseHTTPRequestHandler) -> None:
        total = 50 * 1024 * 1024
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar")
        if announce:
            handler.send_header("Content-Length", str(total))
        handler.end_headers()
        block = b"BEGIN:VCALENDAR\r\n" + b"X" * (64 * 1024 - 17)
        while feed.sent < total:
            handler.wfile.write(block)
            feed.sent += len(block)

    return route


@pytest.mark.parametrize("announce", [False, True], ids=["streamed", "with-length"])
def test_a_fifty_megabyte_calendar_is_too_large_and_is_not_read_to_the_end(
    feed: Feed, monkeypatch: pytest.MonkeyPatch, announce: bool
) -> None:
    read = 0
    original = http.client.HTTPResponse.read1

    def counting_read(self: http.client.HTTPResponse, amt: int = -1) -> bytes:
        nonlocal read
        data = original(self, amt)
        read += len(data)
        return data

    monkeypatch.setattr(http.client.HTTPResponse, "read1", counting_read)
    feed.routes["/huge.ics"] = fifty_megabytes(feed, announce=announce)
    result = fetch_busy(feed.url("/huge.ics"), max_bytes=1_000_000, **WINDOW)
    assert result.status == "too_large"
    assert result.http_status == 200
    assert read <= 1_000_001
    # The server stops when the reader hangs up; what it sent beyond the reader's megabyte
    # sits in the sockets' buffers, far short of the 50 MB it offered.
    for _ in range(100):
        if feed.sent < 50 * 1024 * 1024:
            break
        clock.sleep(0.01)
    assert feed.sent < 20 * 1024 * 1024


def test_a_web_page_instead_of_a_calendar_is_not_icalendar(feed: Feed) -> None:
    html = b"<!doctype html><html><body><h1>Sign in</h1></body></html>"
    feed.routes["/page"] = answer(html, content_type="text/html")
    result = fetch_busy(feed.url("/page"), etag='"old"', **WINDOW)
    assert result.status == "not_icalendar"
    assert result.http_status == 200
    assert result.busy == ()
    assert result.etag == '"old"'  # what was stored stays, so the next fetch is a full one


def test_garbage_after_the_calendar_header_is_not_icalendar() -> None:
    with pytest.raises(NotICalendar):
        parse_busy(b"BEGIN:VCALENDAR\r\nthis is not iCalendar at all", **WINDOW)


def test_a_broken_or_runaway_event_is_left_out_and_the_rest_is_read() -> None:
    def event(uid: str, *lines: str) -> str:
        body = "".join(f"{line}\r\n" for line in lines)
        return f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{body}END:VEVENT\r\n"

    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Busy//EN\r\n"
        + event("good", "DTSTART:20260310T100000Z", "DTEND:20260310T110000Z")
        + event("no-date", "DTSTART:not-a-date", "DTEND:20260310T110000Z")
        + event("bad-end", "DTSTART:20260313T100000Z", "DTEND:2026031x")
        + event("bad-rule", "DTSTART:20260311T100000Z", "DURATION:PT1H", "RRULE:FREQ=BOGUS")
        + event("every-second", "DTSTART:20260312T100000Z", "DURATION:PT1S", "RRULE:FREQ=SECONDLY")
        + "END:VCALENDAR\r\n"
    ).encode()
    assert parse_busy(data, **WINDOW) == ((utc("2026-03-10T10:00"), utc("2026-03-10T11:00")),)


@pytest.mark.parametrize("status", [404, 500, 403])
def test_an_error_from_the_server_is_an_http_error(feed: Feed, status: int) -> None:
    feed.routes["/cal.ics"] = answer(b"no", status=status, content_type="text/plain")
    result = fetch_busy(feed.url("/cal.ics"), **WINDOW)
    assert (result.status, result.http_status, result.busy) == ("http_error", status, ())


def test_a_redirect_is_followed_to_the_calendar(feed: Feed) -> None:
    feed.routes["/old.ics"] = answer(b"", status=301, Location="/cal.ics")
    feed.routes["/cal.ics"] = answer(WEEKLY)
    result = fetch_busy(feed.url("/old.ics"), zone=BERLIN, **WINDOW)
    assert (result.status, result.busy) == ("ok", WEEKLY_BUSY)


def test_a_redirect_to_another_kind_of_address_is_refused(feed: Feed) -> None:
    feed.routes["/old.ics"] = answer(b"", status=302, Location="file:///etc/passwd")
    result = fetch_busy(feed.url("/old.ics"), **WINDOW)
    assert result.status == "bad_url"


def test_a_port_nobody_listens_on_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_busy(f"http://127.0.0.1:{port}/cal.ics?token={SECRET}", **WINDOW)
    assert (result.status, result.http_status, result.busy) == ("unreachable", None, ())


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/cal.ics",
        "file:///etc/passwd",
        "webcal://example.org/cal.ics",
        "javascript:alert(1)",
        "not an address",
        "http://",
        "http://example.org:99999/cal.ics",
    ],
)
def test_anything_but_an_http_address_is_a_bad_url(url: str) -> None:
    assert fetch_busy(url, **WINDOW).status == "bad_url"


def test_the_secret_address_never_reaches_the_logs(
    feed: Feed, caplog: pytest.LogCaptureFixture
) -> None:
    feed.routes["/cal.ics"] = answer(WEEKLY)
    feed.routes["/page"] = answer(b"<html></html>", content_type="text/html")
    caplog.set_level(logging.DEBUG)
    for path in ("/cal.ics", "/page", "/missing"):
        fetch_busy(feed.url(path), **WINDOW)
    fetch_busy(f"http://127.0.0.1:1/?token={SECRET}", timeout=1, **WINDOW)
    assert "Busy feed fetch" in caplog.text
    assert SECRET not in caplog.text
    assert "127.0.0.1" not in caplog.text


def test_every_status_has_its_own_words_that_say_what_to_do() -> None:
    words = {status: status_words(status) for status in STATUSES}
    assert len(set(words.values())) == len(STATUSES)
    fallback = status_words("something new")
    assert fallback not in words.values()
    assert "https://" in words["bad_url"]
    assert ".ics" in words["not_icalendar"]
