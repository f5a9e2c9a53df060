"""The endpoints the harness can drive, by name.

To benchmark a new endpoint, register a ``Target`` here::

    register(Target(
        name="moment-log",
        description="POST a new moment through the API",
        method="POST",
        path="/api/v1/moments",
        body=lambda n: json.dumps({"kind": "activation", "intensity": n % 11}).encode(),
        auth=True,
    ))

``auth=True`` makes the harness create a bench account and a write-scoped API token and send it
as ``Authorization: Bearer …``; ``session=True`` signs the bench account in and sends its session
cookie, as a browser would. ``setup`` may seed data before the run (it gets the running
``Stage`` and returns values to fill ``{placeholders}`` in ``path``). Every target is measured
against the floor in the same run, so its figures read as "how much slower than one INSERT
through Django's full stack".
"""

from __future__ import annotations

import datetime
import itertools
import json
import threading
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.server import Stage

BodyFactory = Callable[[int], bytes]
HeadersFactory = Callable[[int], dict[str, str]]
Setup = Callable[["Stage"], dict[str, str]]


@dataclass(frozen=True)
class Target:
    name: str
    description: str
    method: str
    path: str
    # Request number -> body. Called once per request, so keep it cheap.
    body: BodyFactory | None = None
    content_type: str = "application/json"
    # Request number -> extra headers for that request (an Idempotency-Key, say).
    headers: HeadersFactory | None = None
    # Send a bench account's API token (write scope) as a Bearer header.
    auth: bool = False
    # Send a signed-in browser session's cookie (the bench account's).
    session: bool = False
    setup: Setup | None = None
    # Pages that render templates need collected static files (slow to collect, so opt-in).
    needs_static: bool = False
    # Statuses that count as success; anything else (or no answer) is an error.
    ok: frozenset[int] = field(default_factory=lambda: frozenset({200, 201, 204}))


TARGETS: dict[str, Target] = {}


def register(target: Target) -> Target:
    TARGETS[target.name] = target
    return target


FLOOR = register(
    Target(
        name="floor",
        description="Django's full middleware stack plus exactly one INSERT (TEND_BENCH only)",
        method="POST",
        path="/bench/floor",
        body=lambda n: b"{}",
        ok=frozenset({201}),
    )
)

register(
    Target(
        name="healthz",
        description="GET /healthz: the stack plus one SELECT 1",
        method="GET",
        path="/healthz",
    )
)

register(
    Target(
        name="api-me",
        description="GET /api/v1/me with a Bearer token: token lookup plus one small read",
        method="GET",
        path="/api/v1/me",
        auth=True,
    )
)


def _full_moment(n: int) -> bytes:
    """A moment with every field filled in, as a person who takes their time would log it."""
    return json.dumps(
        {
            "kind": "activation",
            "cue": f"Partner's phone lit up at dinner with a message from their date (#{n})",
            "story": "They smiled at the screen and I felt the room tilt. I told myself a story "
            "about being second, again, and went quiet for the rest of the meal.",
            "part": "The little one who waits by the window",
            "urge": "Grab the phone and read the message; ask who it was, sharply",
            "action": "Went silent and cleared the table loudly",
            "helped": "Hand on my chest, five slow breaths, then said 'I noticed I'm scared'",
            "notes": "Worse when I am tired. Talked it through the next morning.",
            "states": ["fight", "flight", "freeze"],
            "intensity": 7,
            "body": [
                {"region": "chest", "sensations": ["tight", "racing"], "intensity": 7},
                {"region": "gut", "sensations": ["drop", "knot"], "intensity": 6},
                {"region": "jaw", "sensations": ["tight"], "intensity": 5},
                {"region": "throat", "sensations": ["tight", "pressure"], "intensity": 4},
            ],
            "needs": ["not_prioritised", "being_replaced", "reassurance"],
            "contexts": ["at_home", "together", "messages"],
            "intensity_after": 3,
            "minutes_to_settle": 20,
        }
    ).encode()


register(
    Target(
        name="moments-create",
        description="POST /api/v1/moments: a full moment (body entries too), a fresh "
        "Idempotency-Key each, Bearer token",
        method="POST",
        path="/api/v1/moments",
        body=_full_moment,
        # A fresh key per request: every request logs a new moment, as a device's would.
        headers=lambda n: {"Idempotency-Key": str(uuid.uuid4())},
        auth=True,
        ok=frozenset({201}),
    )
)

register(
    Target(
        name="page-home",
        description="GET /home/ signed in (a session cookie): a page view, which should write "
        "nothing to the database",
        method="GET",
        path="/home/",
        session=True,
        needs_static=True,
    )
)

# Safety Check is one-shot (after the first run nothing is left to revoke, and it revokes the
# token that called it), so a repeated request would measure a no-op: `python -m bench.safety`
# seeds a fresh person (50 connections, 1,000 shares) per round and times the service instead.


def _insights_setup(stage: Stage) -> dict[str, str]:
    """The bench account gets 5,000 full moments over a year (bench/insights_data.py)."""
    import datetime as dt

    stage.shell(
        "from bench.insights_data import seed_owner\n"
        f"seed_owner(size=5000, email={stage.email!r})\n"
    )
    today = dt.date.today()  # noqa: DTZ011 - a period around the seeded year, any zone
    return {"from": (today - dt.timedelta(days=365)).isoformat(), "to": today.isoformat()}


register(
    Target(
        name="insights-map",
        description="GET /api/v1/insights/map for a year of 5,000 moments (python -m "
        "bench.insights measures 1k/5k/20k among 2M rows against an index-only count)",
        method="GET",
        path="/api/v1/insights/map?from={from}&to={to}",
        auth=True,
        setup=_insights_setup,
    )
)


# --- Booking (issue 13) -----------------------------------------------------------------------


def _booking_slots_setup(stage: Stage) -> dict[str, str]:
    """A practitioner with two years of bookings and 5,000 busy times (bench/booking_data.py)."""
    call = stage.shell("from bench.booking_data import seed_busy\nprint(seed_busy())\n")
    return {"call": call.splitlines()[-1]}


register(
    Target(
        name="booking-slots",
        description="GET /book/<slug>/<call>/ (the public page of free times, a week of days in "
        "the visitor's zone) for a practitioner with 1,500 bookings over two years and 5,000 "
        "busy times; no account",
        method="GET",
        path="/book/bench-busy/{call}/?zone=America/New_York",
        setup=_booking_slots_setup,
        needs_static=True,
    )
)

# Booking creation posts the public form as a browser would: a CSRF cookie and the same token
# in the form. Each request takes a time of its own (a process-wide counter, since the harness
# restarts each thread's request numbers every slice) and comes from an address and an email
# of its own, as 16 different visitors would, so neither the per-address nor the per-email
# limit is what is measured; the server trusts X-Forwarded-For from loopback for this.
_CSRF = "benchbenchbenchbenchbenchbench32"
_booking_counter = itertools.count()
_booking_day = datetime.date.today()  # noqa: DTZ011 - the slots start tomorrow, in UTC


def _booking_setup(stage: Stage) -> dict[str, str]:
    stage.env["TEND_TRUSTED_PROXIES"] = "127.0.0.1"
    call = stage.shell("from bench.booking_data import seed_open\nprint(seed_open())\n")
    return {"call": call.splitlines()[-1]}


def _booking_request(k: int) -> tuple[bytes, dict[str, str]]:
    from bench.booking_data import open_start

    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": _CSRF,
            "start": open_start(k, _booking_day),
            "zone": "America/New_York",
            "name": "Sam Visitor",
            "email": f"visitor{k}@bench.test",
            "relationship": "polyamorous",
            "what_brings": "I would like to understand what sets off my jealousy.",
            "states": "freeze",
            "region": "chest",
            "intensity": "6",
        }
    ).encode()
    headers = {
        "Cookie": f"csrftoken={_CSRF}",
        "X-Forwarded-For": f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}",
    }
    return body, headers


# The body and the headers of one request must name the same time and visitor: the body
# factory takes the next number and leaves it for the headers factory, which runs next on the
# same thread.
_booking_local = threading.local()


def _booking_body(n: int) -> bytes:
    body, headers = _booking_request(next(_booking_counter))
    _booking_local.headers = headers
    return body


register(
    Target(
        name="booking-create",
        description="POST /book/<slug>/<call>/details/ (the public booking form, no account): "
        "each request books a different free time, from its own address and email",
        method="POST",
        path="/book/bench-open/{call}/details/",
        body=_booking_body,
        headers=lambda n: _booking_local.headers,
        content_type="application/x-www-form-urlencoded",
        setup=_booking_setup,
        needs_static=True,
        ok=frozenset({302}),
    )
)
