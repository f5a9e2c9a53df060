"""The external calendar never reaches into the server's own network (SSRF).

No test here connects anywhere but loopback: refusals happen before any connection (a guard
fails the test if one is attempted), host names are answered by a fake resolver, and the one
"public" address a test connects to is carried to a local server by a fake connector.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tend.booking import busyfeed
from tend.booking.busyfeed import fetch_busy, is_public, status_words

WINDOW = {
    "window_start": datetime(2026, 3, 2, tzinfo=UTC),
    "window_end": datetime(2026, 3, 2, tzinfo=UTC) + timedelta(days=7),
}
CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n"
PUBLIC = "93.184.216.34"  # a globally routable address; never actually contacted here


@pytest.fixture(autouse=True)
def _no_connection(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every connection attempt is recorded and refused, so a refusal that came too late (after
    connecting) fails the test rather than reaching a real address."""
    attempts: list[tuple[str, int]] = []

    def refuse(address: str, port: int, timeout: float | None) -> socket.socket:
        attempts.append((address, port))
        raise AssertionError(f"connected to {address}:{port}")

    monkeypatch.setattr(busyfeed, "_connect", refuse)
    return attempts


def _resolver(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[host]

    monkeypatch.setattr(busyfeed, "_resolve", resolve)
    return asked


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/cal.ics",
        "http://localhost/cal.ics",
        "http://10.0.0.5/cal.ics",
        "http://192.168.1.1/cal.ics",
        "http://172.16.0.1/cal.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/cal.ics",
        "http://0.0.0.0/cal.ics",
        "http://[::1]/cal.ics",
        "http://[::ffff:127.0.0.1]/cal.ics",
        "http://[fe80::1]/cal.ics",
        "http://[fd00::1]/cal.ics",
        "https://2130706433/cal.ics",  # 127.0.0.1 written as one number
        "http://224.0.0.1/cal.ics",
    ],
)
def test_a_non_public_address_is_refused_before_connecting(
    url: str, _no_connection: list[tuple[str, int]]
) -> None:
    result = fetch_busy(url, **WINDOW)
    assert (result.status, result.busy, result.http_status) == ("not_public", (), None)
    assert _no_connection == []


def test_a_name_resolving_to_the_metadata_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, _no_connection: list[tuple[str, int]]
) -> None:
    _resolver(monkeypatch, {"calendar.example": ["169.254.169.254"]})
    assert fetch_busy("https://calendar.example/cal.ics", **WINDOW).status == "not_public"
    assert _no_connection == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    monkeypatch: pytest.MonkeyPatch, _no_connection: list[tuple[str, int]]
) -> None:
    _resolver(monkeypatch, {"calendar.example": [PUBLIC, "10.1.2.3"]})
    assert fetch_busy("https://calendar.example/cal.ics", **WINDOW).status == "not_public"
    assert _no_connection == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        (PUBLIC, True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("::", False),
        ("::ffff:10.0.0.1", False),  # IPv4-mapped
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
        ("fe80::1%eth0", False),
        ("240.0.0.1", False),  # reserved
    ],
)
def test_is_public_looks_inside_every_way_of_writing_an_address(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.fixture
def local_server() -> Iterator[dict[str, Any]]:
    state: dict[str, Any] = {"paths": [], "hosts": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["paths"].append(self.path)
            state["hosts"].append(self.headers.get("Host"))
            if self.path.startswith("/old.ics"):
                self.send_response(302)
                self.send_header("Location", state["location"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(CALENDAR)))
            self.end_headers()
            self.wfile.write(CALENDAR)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["port"] = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _public_goes_to(monkeypatch: pytest.MonkeyPatch, port: int) -> list[str]:
    """Connections to PUBLIC land on the local server; any other address fails the test."""
    connected: list[str] = []

    def connect(address: str, _port: int, timeout: float | None) -> socket.socket:
        assert address == PUBLIC, f"connected to {address}"
        connected.append(address)
        return socket.create_connection(("127.0.0.1", port), timeout)

    monkeypatch.setattr(busyfeed, "_connect", connect)
    return connected


def test_a_public_name_is_fetched_from_the_checked_address_with_its_own_host_header(
    monkeypatch: pytest.MonkeyPatch, local_server: dict[str, Any]
) -> None:
    _resolver(monkeypatch, {"calendar.example": [PUBLIC]})
    connected = _public_goes_to(monkeypatch, local_server["port"])
    result = fetch_busy("http://calendar.example:8080/cal.ics", **WINDOW)
    assert result.status == "ok"
    assert connected == [PUBLIC]
    assert local_server["hosts"] == ["calendar.example:8080"]


def test_a_rebinding_name_is_connected_to_at_the_address_that_was_checked(
    monkeypatch: pytest.MonkeyPatch, local_server: dict[str, Any]
) -> None:
    # The first answer is public, any later one loopback: only one look-up may happen, and the
    # connection must go to what it answered.
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    monkeypatch.setattr(busyfeed, "_resolve", resolve)
    connected = _public_goes_to(monkeypatch, local_server["port"])
    assert fetch_busy("http://calendar.example/cal.ics", **WINDOW).status == "ok"
    assert (asked, connected) == (["calendar.example"], [PUBLIC])


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/cal.ics",
        "http://[::1]:{port}/cal.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://internal.example/cal.ics",
    ],
)
def test_a_redirect_to_a_non_public_address_is_refused(
    location: str, monkeypatch: pytest.MonkeyPatch, local_server: dict[str, Any]
) -> None:
    _resolver(
        monkeypatch,
        {
            "calendar.example": [PUBLIC],
            "internal.example": ["10.0.0.7"],
            "127.0.0.1": ["127.0.0.1"],
            "::1": ["::1"],
            "169.254.169.254": ["169.254.169.254"],
        },
    )
    connected = _public_goes_to(monkeypatch, local_server["port"])
    local_server["location"] = location.format(port=local_server["port"])
    result = fetch_busy("http://calendar.example/old.ics", **WINDOW)
    assert result.status == "not_public"
    # The first hop was fetched; the redirect's target never was.
    assert (connected, local_server["paths"]) == ([PUBLIC], ["/old.ics"])


def test_the_operator_may_allow_private_addresses(
    settings: Any, local_server: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(busyfeed, "_connect", lambda a, p, t: socket.create_connection((a, p), t))
    url = f"http://127.0.0.1:{local_server['port']}/cal.ics"
    assert fetch_busy(url, **WINDOW).status == "not_public"
    settings.TEND_BOOKING_FEED_ALLOW_PRIVATE = True
    assert fetch_busy(url, **WINDOW).status == "ok"
    assert fetch_busy(url, allow_private=False, **WINDOW).status == "not_public"


def test_the_refusal_says_what_to_do() -> None:
    assert "private network" in status_words("not_public")
    assert "https://" in status_words("not_public")
