"""Busy times from a practitioner's external calendar: fetch its secret iCalendar address and
keep only when they are busy.

Fetching is bounded on every side: only ``http``/``https`` (also after redirects, at most five),
a total deadline over connecting, waiting and reading (the socket's timeout is set to what is
left before every read, so a server that drips one byte at a time is cut off too), and a size
limit checked against Content-Length and while streaming (reading stops at ``max_bytes``, so a
huge body costs no more than the limit). No compression is asked for, so the limit is the size
of the text itself. ETag and Last-Modified are sent back so an unchanged calendar costs one
empty 304. Every outcome is a status, never an exception; the secret address is never logged
(only the status and the HTTP code).

Any account may give an address, so the server must not become a way into the network it runs
in (SSRF): the host is resolved, and unless every address it resolves to is globally routable
(not loopback, private, link-local such as the cloud metadata address 169.254.169.254, shared,
reserved, multicast or unspecified, also when written inside an IPv6 address) the fetch stops
with ``not_public`` before any connection. The connection then goes to the address that was
checked, not to the name again, so a DNS answer that changes between check and connect (a
rebind) cannot slip through; TLS still verifies the certificate for the name (SNI) and the Host
header still names it. Each redirect is checked the same way. An operator whose calendars live
on a private network turns this off with ``TEND_BOOKING_FEED_ALLOW_PRIVATE``.

Reading keeps only start and end: recurring events are expanded with recurring-ical-events
(RRULE, RDATE, EXDATE and moved instances by RECURRENCE-ID), TZID and VTIMEZONE are honoured,
cancelled (STATUS:CANCELLED) and free (TRANSP:TRANSPARENT) events are left out, and the
intervals are merged. All-day dates and floating times are read in ``zone`` (the practitioner's
zone, when the caller gives it), else in the calendar's X-WR-TIMEZONE, else in UTC. Series that
repeat every second or minute are not read: no real busy time needs them, and expanding them
could cost unbounded time.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import time as monotonic_clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import recurring_ical_events
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Component

logger = logging.getLogger(__name__)

STATUSES = (
    "ok",
    "not_modified",
    "timeout",
    "too_large",
    "not_icalendar",
    "http_error",
    "unreachable",
    "bad_url",
    "not_public",
)

_CHUNK = 64 * 1024
_MAX_REDIRECTS = 5
_USER_AGENT = "Tend (busy times from a calendar)"
# Occurrences beyond this many are not read: a month of a busy calendar has a few hundred.
_MAX_OCCURRENCES = 50_000


class NotICalendar(ValueError):
    """The data is not an iCalendar document."""


@dataclass(frozen=True)
class FeedResult:
    status: str  # one of STATUSES
    busy: tuple[tuple[datetime, datetime], ...] = ()  # UTC-aware, merged, sorted; () unless ok
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None


class _Failed(Exception):
    def __init__(self, status: str, http_status: int | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.http_status = http_status


def fetch_busy(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    window_start: datetime,
    window_end: datetime,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    zone: ZoneInfo | None = None,
    allow_private: bool | None = None,
) -> FeedResult:
    """Fetch the calendar at `url` and read its busy times within [window_start, window_end).

    Addresses that are not public are refused (``not_public``) unless `allow_private`, which
    defaults to the operator's ``TEND_BOOKING_FEED_ALLOW_PRIVATE`` setting.

    On ``ok`` the result carries the response's validators; on ``not_modified`` the response's
    or else the ones given; on any failure the ones given, unchanged, so that storing the
    result's validators is always safe and a failed body is fetched in full next time.
    """
    deadline = monotonic_clock.monotonic() + timeout
    if allow_private is None:
        allow_private = bool(getattr(settings, "TEND_BOOKING_FEED_ALLOW_PRIVATE", False))
    try:
        status, headers, body = _get(url, etag, last_modified, deadline, max_bytes, allow_private)
    except _Failed as failed:
        logger.info("Busy feed fetch: %s (HTTP %s)", failed.status, failed.http_status)
        return FeedResult(failed.status, (), etag, last_modified, failed.http_status)
    if status == 304:
        logger.info("Busy feed fetch: not_modified")
        return FeedResult(
            "not_modified",
            (),
            headers.get("etag") or etag,
            headers.get("last-modified") or last_modified,
            status,
        )
    try:
        busy = parse_busy(body, window_start=window_start, window_end=window_end, zone=zone)
    except NotICalendar:
        logger.info("Busy feed fetch: not_icalendar (HTTP %s)", status)
        return FeedResult("not_icalendar", (), etag, last_modified, status)
    logger.info("Busy feed fetch: ok, %d busy intervals", len(busy))
    return FeedResult("ok", busy, headers.get("etag"), headers.get("last-modified"), status)


def _get(
    url: str,
    etag: str | None,
    last_modified: str | None,
    deadline: float,
    max_bytes: int,
    allow_private: bool,
) -> tuple[int, dict[str, str], bytes]:
    """(status, lower-cased headers, body) of a 200 or 304, following redirects (each one's
    host resolved and checked anew by _get_once)."""
    for _hop in range(_MAX_REDIRECTS + 1):
        status, headers, body = _get_once(
            url, etag, last_modified, deadline, max_bytes, allow_private
        )
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            url = urljoin(url, headers["location"])
            continue
        if status in (200, 304):
            return status, headers, body
        raise _Failed("http_error", status)
    raise _Failed("http_error", status)


def _left(deadline: float) -> float:
    left = deadline - monotonic_clock.monotonic()
    if left <= 0:
        raise _Failed("timeout")
    return left


def _resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order (a seam for tests)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _connect(address: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to one checked address (a seam for tests)."""
    return socket.create_connection((address, port), timeout)


# NAT64's well-known prefix carries an IPv4 address in its last 32 bits (RFC 6052).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: str) -> bool:
    """Whether `address` is globally routable, also the IPv4 address an IPv6 one may carry
    (IPv4-mapped, 6to4, Teredo, NAT64), which Python 3.11 does not look inside by itself."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # a zone index (fe80::1%eth0)
    except ValueError:
        return False
    inner: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            inner.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            inner.append(ip.sixtofour)
        if ip.teredo is not None:
            inner.extend(ip.teredo)
        if ip in _NAT64:
            inner.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return all(
        one.is_global
        and not (
            one.is_private
            or one.is_loopback
            or one.is_link_local
            or one.is_reserved
            or one.is_multicast
            or one.is_unspecified
        )
        for one in inner
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to addresses already checked; the Host header still names the host."""

    def __init__(self, host: str, port: int | None, *, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def _open(self) -> socket.socket:
        error: OSError | None = None
        for address in self._addresses:
            try:
                return _connect(address, self.port, self.timeout)
            except OSError as failed:
                error = failed
        raise error or OSError("no address")

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def __init__(self, host: str, port: int | None, *, addresses: list[str], timeout: float):
        super().__init__(host, port, addresses=addresses, timeout=timeout)
        self._context = ssl.create_default_context()

    def connect(self) -> None:
        # The certificate is verified for the name, not the address (SNI and hostname check).
        self.sock = self._context.wrap_socket(self._open(), server_hostname=self.host)


def _get_once(
    url: str,
    etag: str | None,
    last_modified: str | None,
    deadline: float,
    max_bytes: int,
    allow_private: bool,
) -> tuple[int, dict[str, str], bytes]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise _Failed("bad_url") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Failed("bad_url")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = _resolve(parts.hostname, port)
    except (OSError, UnicodeError) as error:  # an unknown host, or a name IDNA cannot encode
        raise _Failed("unreachable") from error
    if not addresses:
        raise _Failed("unreachable")
    if not allow_private and not all(is_public(address) for address in addresses):
        raise _Failed("not_public")
    pinned = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(parts.hostname, port, addresses=addresses, timeout=_left(deadline))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {"User-Agent": _USER_AGENT, "Accept": "text/calendar, */*;q=0.1"}
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    try:
        connection.request("GET", target, headers=request_headers)
        sock = connection.sock
        if sock is not None:
            sock.settimeout(_left(deadline))
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        if response.status != 200:
            return response.status, headers, b""
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _Failed("too_large", response.status)
        chunks: list[bytes] = []
        size = 0
        # The response closes its socket itself once the whole body has arrived.
        while not response.isclosed():
            if sock is not None:
                sock.settimeout(_left(deadline))
            # read1 returns what has arrived rather than waiting for a whole chunk, so the
            # deadline is checked however slowly the server sends. One byte past the limit is
            # enough to know the body is too large.
            chunk = response.read1(min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise _Failed("too_large", response.status)
        return response.status, headers, b"".join(chunks)
    except _Failed:
        raise
    except TimeoutError as error:  # socket.timeout is TimeoutError since Python 3.10
        raise _Failed("timeout") from error
    except (http.client.HTTPException, OSError) as error:
        # Refused, reset, unknown host, TLS failures and broken responses all mean the same to
        # the practitioner: the address did not answer with a calendar we could reach.
        raise _Failed("unreachable") from error
    finally:
        connection.close()


def parse_busy(
    data: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    zone: ZoneInfo | None = None,
) -> tuple[tuple[datetime, datetime], ...]:
    """The busy intervals of an iCalendar document that overlap [window_start, window_end):
    UTC-aware, merged, sorted. Raises NotICalendar if `data` is not iCalendar."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise NotICalendar("The document does not begin with BEGIN:VCALENDAR.")
    try:
        calendar = Calendar.from_ical(text)
    except Exception as error:  # icalendar raises several kinds for broken input
        raise NotICalendar("The document is not valid iCalendar.") from error
    if not isinstance(calendar, Calendar):
        raise NotICalendar("The document holds no calendar.")
    local: tzinfo = zone or _calendar_zone(calendar) or UTC
    for component in list(calendar.subcomponents):
        if component.name == "VEVENT" and not _expandable(component):
            calendar.subcomponents.remove(component)
    # A day either side, because floating times and dates are placed in `local` only after
    # the expansion has compared them with the window.
    try:
        occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(
            (window_start - timedelta(days=1)).astimezone(UTC),
            (window_end + timedelta(days=1)).astimezone(UTC),
        )
    except Exception as error:  # a broken rule or date in someone else's calendar
        raise NotICalendar("The calendar's events could not be read.") from error
    spans: list[tuple[datetime, datetime]] = []
    unreadable = 0
    for event in occurrences[:_MAX_OCCURRENCES]:
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
            continue
        try:
            span = _span(event, local)
        except Exception:  # one broken date is left out, as calendar apps do; the rest is read
            span = None
            unreadable += 1
        if span is not None and span[0] < window_end and span[1] > window_start:
            spans.append(span)
    if unreadable:
        # A count only: what the events say is the practitioner's own business.
        logger.info("Busy feed: %d events with unreadable dates left out", unreadable)
    return _merged(spans)


def _expandable(event: Component) -> bool:
    """False for a series too frequent to expand at bounded cost, or whose rule is broken (the
    rest of the calendar is still read, as calendar apps do)."""
    try:
        rule = event.get("RRULE")
        if rule is None:
            return True
        frequency = str(rule.get("FREQ", [""])[0]).upper()
    except Exception:  # icalendar raises its own kinds for a broken property
        return False
    return frequency not in ("SECONDLY", "MINUTELY")


def _calendar_zone(calendar: Calendar) -> ZoneInfo | None:
    name = calendar.get("X-WR-TIMEZONE")
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _instant(value: date | datetime, local: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        # A date is the whole day on the practitioner's clock: midnight there.
        return datetime(value.year, value.month, value.day, tzinfo=local).astimezone(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=local)
    return value.astimezone(UTC)


def _span(event: Component, local: tzinfo) -> tuple[datetime, datetime] | None:
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return None
    start_value = start_prop.dt
    end_prop = event.get("DTEND")
    duration_prop = event.get("DURATION")
    if end_prop is not None:
        end_value = end_prop.dt
    elif duration_prop is not None:
        end_value = start_value + duration_prop.dt
    elif not isinstance(start_value, datetime):
        end_value = start_value + timedelta(days=1)  # an all-day event without an end
    else:
        return None  # a moment without length blocks nothing (RFC 5545 3.6.1)
    start, end = _instant(start_value, local), _instant(end_value, local)
    return (start, end) if start < end else None


def _merged(spans: list[tuple[datetime, datetime]]) -> tuple[tuple[datetime, datetime], ...]:
    spans.sort()
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


_WORDS = {
    "ok": _("Busy times from your calendar are up to date."),
    "not_modified": _(
        "Your calendar has not changed since the last check, so its busy times still apply."
    ),
    "timeout": _(
        "Your calendar took too long to answer. If this happens once, there is nothing to do; "
        "if it keeps happening, check the address or use another calendar's address."
    ),
    "too_large": _(
        "Your calendar is too large to read. Share one calendar that holds your appointments "
        "rather than all of them, or remove old events from it."
    ),
    "not_icalendar": _(
        "That address gives a web page, not a calendar. In your calendar app, copy the secret "
        "address in iCal format (it usually ends in .ics) and paste it here."
    ),
    "http_error": _(
        "Your calendar's server refused the address; the link may have been reset. Copy the "
        "secret address again from your calendar app and paste it here."
    ),
    "unreachable": _(
        "Your calendar's server could not be reached. Check that the address is complete; if "
        "it is, we will try again shortly."
    ),
    "not_public": _(
        "That address points into a private network, which Tend does not fetch from. Use the "
        "public secret address your calendar app offers (it starts with https://)."
    ),
    "bad_url": _(
        "That is not a calendar address. Paste the address that starts with https:// (if it "
        "starts with webcal://, change that to https://)."
    ),
}


def status_words(status: str) -> str:
    """Plain, translatable words for the practitioner's page, saying what to do."""
    words = _WORDS.get(status)
    if words is None:
        return str(_("Your calendar could not be read. Check its address and try again."))
    return str(words)
