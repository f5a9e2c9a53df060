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
as ``Authorization: Bearer …``. ``setup`` may seed data before the run (it gets the running
``Stage`` and returns values to fill ``{placeholders}`` in ``path``). Every target is measured
against the floor in the same run, so its figures read as "how much slower than one INSERT
through Django's full stack".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.server import Stage

BodyFactory = Callable[[int], bytes]
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
    # Send a bench account's API token (write scope) as a Bearer header.
    auth: bool = False
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
