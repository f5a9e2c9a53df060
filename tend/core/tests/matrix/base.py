"""The authorization matrix's vocabulary: the personas, what each may get, and a row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CANARY = "CANARY-alice-matrix-4c1d"
PERSONAS = ("anonymous", "alice", "bob", "carol", "mallory")
OTHERS = ("bob", "carol", "mallory")

LOGIN = "login"  # a redirect to the sign-in page
HOME = "home"  # a redirect away from an entrance page, for someone already signed in


def redirect(prefix: str) -> tuple[int, str]:
    return (302, prefix)


def page(anonymous: Any = LOGIN, signed_in: Any = 200, **overrides: Any) -> dict[str, Any]:
    """A page each signed-in persona may open for their own account."""
    expected = {"anonymous": anonymous, **dict.fromkeys(("alice", *OTHERS), signed_in)}
    expected.update(overrides)
    return expected


def owned(alice: Any = 200, anonymous: Any = LOGIN, others: Any = 404) -> dict[str, Any]:
    """Something that belongs to alice: everyone else gets the same 404 as for nothing."""
    return {"anonymous": anonymous, "alice": alice, **dict.fromkeys(OTHERS, others)}


def public(status: Any = 200) -> dict[str, Any]:
    return dict.fromkeys(PERSONAS, status)


def entrance(anonymous: Any = 200) -> dict[str, Any]:
    return {"anonymous": anonymous, **dict.fromkeys(("alice", *OTHERS), HOME)}


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: str
    expect: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False
    # Request headers (Django's HTTP_… names); their values are formatted like the path.
    headers: dict[str, str] = field(default_factory=dict)
    # A page the same client opens first (an invitation link keeps its secret in the session).
    first: str = ""


# A visitor's booking for a time long past: every field valid but the time, so only the time
# (or a page that is not there) can refuse it.
BOOKING_LONG_PAST = {
    "start": "2020-01-07T10:00:00Z",
    "name": "Visitor",
    "email": "matrix@example.test",
    "zone": "America/New_York",
    "intake": {"relationship": "open", "what_brings": "A matrix row"},
}

API_OWN = {"anonymous": 401, "alice": 200, **dict.fromkeys(OTHERS, 200)}
API_ALICES = {"anonymous": 401, "alice": 200, **dict.fromkeys(OTHERS, 404)}


def all_routes() -> set[str]:
    """Every URL pattern Tend serves, as its route text (``"journal/<uuid:id>/"``)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    routes: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.add(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return routes
