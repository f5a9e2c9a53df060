"""Helpers that make a practitioner with hours, and bookings, through the services; the public
form's fields; and a live server for tests that need real connections."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

from tend.accounts.models import User
from tend.booking.models import Booking, CallType, PractitionerProfile
from tend.booking.services import booking_create, profile_turn_on, profile_update, weekly_hours_set

INTAKE = {"relationship": "polyamorous", "what_brings": "Jealousy when my partner dates."}


def practitioner(
    user: User,
    *,
    zone: str = "Europe/Berlin",
    slug: str = "carol",
    hours: tuple[int, int] = (9, 17),
) -> PractitionerProfile:
    """``user`` offers calls, in ``zone``, every day of the week between ``hours``."""
    profile = profile_turn_on(actor=user)
    profile_update(actor=user, profile=profile, slug=slug, time_zone=zone, public_name="Carol")
    for weekday in range(7):
        weekly_hours_set(
            actor=user, weekday=weekday, ranges=[(dt.time(hours[0]), dt.time(hours[1]))]
        )
    return profile


def default_call(user: User) -> CallType:
    return CallType.objects.get(practitioner=user, is_default=True)


def call_type(user: User, **fields: Any) -> CallType:
    return CallType.objects.create(practitioner=user, name="Longer call", **fields)


def local(day: dt.date, hour: int, minute: int = 0, zone: str = "Europe/Berlin") -> dt.datetime:
    """A wall time in ``zone`` as a UTC instant."""
    wall = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))
    return wall.astimezone(dt.UTC)


def days_ahead(n: int = 5) -> dt.date:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=n)).date()


def book(
    call: CallType, start: dt.datetime, *, email: str = "visitor@example.test", **kwargs: Any
) -> tuple[Booking, str]:
    fields: dict[str, Any] = {
        "name": "Visitor",
        "email": email,
        "zone": "America/New_York",
        "intake": INTAKE,
        "consents_ticked": range(len(call.consents)),
    }
    fields.update(kwargs)
    return booking_create(call_type=call, start=start, **fields)


def iso(instant: dt.datetime) -> str:
    """A UTC instant as the pages and the API write it."""
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def page_form(start: dt.datetime, **overrides: Any) -> dict[str, Any]:
    """What a New York visitor posts to the public details form for ``start``."""
    data: dict[str, Any] = {
        "start": iso(start),
        "zone": "America/New_York",
        "name": "Sam",
        "email": "sam@example.test",
        "relationship": "polyamorous",
        "what_brings": "Something",
        "states": ["fawn", "freeze"],
        "region": "chest",
        "intensity": "6",
    }
    data.update(overrides)
    return data


class _WideServer(ThreadedWSGIServer):
    # A hundred connections arrive at once: Django's default backlog of 10 would reset most.
    request_queue_size = 256


class _ServerThread(LiveServerThread):
    server_class = _WideServer

    def _create_server(self, connections_override: Any = None) -> Any:
        # Reuse the port at once: the previous test's closed connections still hold it.
        return self.server_class(
            (self.host, self.port),
            QuietWSGIRequestHandler,
            allow_reuse_address=True,
            connections_override=connections_override,
        )


@contextmanager
def live_server(port: int, handler: Any) -> Iterator[str]:
    """Serve the app on ``port`` (threads, each request on its own connection); its address."""
    thread = _ServerThread("127.0.0.1", handler, port=port)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
