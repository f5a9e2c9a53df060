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

import json
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
