"""Who may see and change what, around connections and shares: one table, every cell checked.

Roles are people in a particular situation with alice, the owner:

- ``anonymous``; ``mallory``, a stranger;
- ``bob_connected``: bob is alice's partner, nothing shared;
- ``bob_theme_share``: alice shares a theme, her weekly summary and her trigger map with bob;
- ``bob_expired``: those shares expired; ``bob_revoked``: alice revoked them;
- ``bob_ended``: the connection ended (which revokes every share between them);
- ``carol_practitioner``: carol is alice's practitioner, and alice consented to nothing;
- ``alice`` herself.

Each row is a route of this app (or a route exposing alice's moments and themes) with the roles
allowed; everyone else is denied (404 when signed in, the sign-in page or 401 when not). Every
row runs against the same world inside a savepoint that is rolled back, so a row that changes
things (end, revoke) cannot change what the next row sees. A route of this app missing from
the table fails ``test_every_connections_route_is_in_the_table``. No response to anyone but
alice may contain the canary alice wrote and never shared.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.models import Share
from tend.connections.services import connection_end, invitation_create
from tend.connections.share_services import share_revoke
from tend.connections.tests.factories import connect, share
from tend.core.tests.matrix.base import all_routes
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

CANARY = "CANARY-alice-unshared-7f3e"

ROLES = (
    "anonymous",
    "mallory",
    "bob_connected",
    "bob_theme_share",
    "bob_expired",
    "bob_revoked",
    "bob_ended",
    "carol_practitioner",
    "alice",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
ALL = frozenset(ROLES)
ALICE = frozenset({"alice"})
NOBODY: frozenset[str] = frozenset()
# Both people of the alice-bob connection, while it lasts.
BOB_PARTY = frozenset({"alice", "bob_connected", "bob_theme_share", "bob_expired", "bob_revoked"})
RECIPIENT = frozenset({"bob_theme_share"})
# Those who may accept alice's invitation: not her, not who is connected with her already.
MAY_ACCEPT = frozenset({"mallory", "bob_ended"})

LOGIN = "login"
PROMOTED = ("connections/", "api/v1/connections", "api/v1/invitations", "api/v1/shares")


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: str
    allow: frozenset[str]
    ok: int = 200
    deny: int = 404
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False
    # Roles denied with another status than ``deny`` (a 422 for a theme that is not theirs).
    special: dict[str, int] = field(default_factory=dict)
    # A page the same browser opens first (an invitation link keeps its secret in the session).
    first: str = ""

    def expected(self, role: str) -> Any:
        if role in self.special:
            return self.special[role]
        if role in self.allow:
            return self.ok
        if role == "anonymous":
            return 401 if self.path.startswith("/api/") else LOGIN
        return self.deny


def api(route: str, method: str, path: str, allow: frozenset[str], ok: int = 200, **kw: Any) -> Row:
    return Row(f"api/v1/{route}", method, f"/api/v1/{path}", allow, ok, json=True, **kw)


TABLE: list[Row] = [
    # --- Pages: connections and the polycule -------------------------------------------------
    Row("connections/", "GET", "/connections/", SIGNED_IN),
    Row(
        "connections/visibility/",
        "POST",
        "/connections/visibility/",
        SIGNED_IN,
        302,
        data={"appear_to_metamours": "name"},
    ),
    Row("connections/<uuid:id>/", "GET", "/connections/{connection}/", BOB_PARTY),
    Row(
        "connections/<uuid:id>/",
        "GET",
        "/connections/{carol_connection}/",
        {"alice", "carol_practitioner"},
    ),  # type: ignore[arg-type]
    Row(
        "connections/<uuid:id>/label/",
        "POST",
        "/connections/{connection}/label/",
        BOB_PARTY,
        302,
        data={"label": "L"},
    ),
    Row("connections/<uuid:id>/share/", "GET", "/connections/{connection}/share/", BOB_PARTY),
    # Searching for a moment to share finds only one's own: bob's search for alice's unshared
    # words finds nothing of hers (the canary check below).
    Row(
        "connections/<uuid:id>/share/",
        "POST",
        "/connections/{connection}/share/",
        BOB_PARTY,
        # Part of the canary, so the search field echoing the words is not itself a finding.
        data={"find": "1", "moment_q": CANARY[:20]},
    ),
    Row(
        "connections/<uuid:id>/share/",
        "POST",
        "/connections/{connection}/share/",
        BOB_PARTY,
        302,
        data={"scope": "weekly_summary"},
    ),
    Row("connections/<uuid:id>/end/", "POST", "/connections/{connection}/end/", BOB_PARTY, 302),
    # --- Pages: invitations ----------------------------------------------------------------
    Row("connections/invite/", "POST", "/connections/invite/", SIGNED_IN, data={"kind": "friend"}),
    Row(
        "connections/invitations/<uuid:id>/revoke/",
        "POST",
        "/connections/invitations/{invitation}/revoke/",
        ALICE,
        302,
    ),
    # Opening the link keeps its secret in the session and drops it from the address.
    Row("connections/join/", "GET", "/connections/join/?t={secret}", ALL, 302),
    Row(
        "connections/join/", "GET", "/connections/join/", ALL, first="/connections/join/?t={secret}"
    ),
    # Without an opened link there is nothing to see: the same 404 for everyone.
    Row("connections/join/", "GET", "/connections/join/", NOBODY, special={"anonymous": 404}),
    Row(
        "connections/join/",
        "POST",
        "/connections/join/",
        MAY_ACCEPT,
        302,
        deny=400,
        first="/connections/join/?t={secret}",
    ),
    # Sent to sam@example.test: nobody here has that address, so nobody may accept it.
    Row(
        "connections/join/",
        "POST",
        "/connections/join/",
        NOBODY,
        deny=400,
        first="/connections/join/?t={email_secret}",
    ),
    # --- Pages: shares, shared with me -----------------------------------------------------
    Row("connections/shares/", "GET", "/connections/shares/", SIGNED_IN),
    Row(
        "connections/shares/revoke-all/", "POST", "/connections/shares/revoke-all/", SIGNED_IN, 302
    ),
    Row(
        "connections/shares/<uuid:id>/revoke/",
        "POST",
        "/connections/shares/{theme_share}/revoke/",
        ALICE,
        302,
    ),
    Row("connections/shared/", "GET", "/connections/shared/", SIGNED_IN),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{theme_share}/", RECIPIENT),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{summary_share}/", RECIPIENT),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{map_share}/", RECIPIENT),
    Row(
        "connections/shared/<uuid:id>/moments/<uuid:moment_id>/",
        "GET",
        "/connections/shared/{theme_share}/moments/{shared_moment}/",
        RECIPIENT,
    ),
    # A theme share opens the moments of that theme, never another moment through its id.
    Row(
        "connections/shared/<uuid:id>/moments/<uuid:moment_id>/",
        "GET",
        "/connections/shared/{theme_share}/moments/{unshared_moment}/",
        NOBODY,
    ),
    # --- Pages: Safety Check ----------------------------------------------------------------
    Row("connections/safety/", "GET", "/connections/safety/", SIGNED_IN),
    Row(
        "connections/discreet/",
        "POST",
        "/connections/discreet/",
        SIGNED_IN,
        302,
        data={"neutral_name": "on"},
    ),
    Row("connections/safety/", "GET", "/connections/safety/?confirm=1", SIGNED_IN),
    Row("connections/safety/", "POST", "/connections/safety/", SIGNED_IN, data={"confirm": "yes"}),
    # --- API: connections -------------------------------------------------------------------
    api("connections", "GET", "connections", SIGNED_IN),
    api("connections/polycule", "GET", "connections/polycule", SIGNED_IN),
    api(
        "connections/visibility",
        "PUT",
        "connections/visibility",
        SIGNED_IN,
        data={"appear_to_metamours": "name", "show_my_connections": True},
    ),
    api(
        "connections/safety-check",
        "POST",
        "connections/safety-check",
        SIGNED_IN,
        data={"confirm": True},
    ),
    api("connections/<connection_id>", "GET", "connections/{connection}", BOB_PARTY),
    api(
        "connections/<connection_id>/label",
        "PUT",
        "connections/{connection}/label",
        BOB_PARTY,
        data={"label": "L"},
    ),
    api("connections/<connection_id>/end", "POST", "connections/{connection}/end", BOB_PARTY, 204),
    # --- API: invitations -------------------------------------------------------------------
    api("invitations", "GET", "invitations", SIGNED_IN),
    api("invitations", "POST", "invitations", SIGNED_IN, 201, data={"kind": "date"}),
    api(
        "invitations/accept",
        "POST",
        "invitations/accept",
        MAY_ACCEPT,
        201,
        deny=422,
        data={"token": "{secret}"},
    ),
    api("invitations/<invitation_id>", "DELETE", "invitations/{invitation}", ALICE, 204),
    # --- API: shares ------------------------------------------------------------------------
    api("shares", "GET", "shares", SIGNED_IN),
    # Anyone in the connection may share their own summary over it.
    api(
        "shares",
        "POST",
        "shares",
        BOB_PARTY,
        201,
        data={"connection_id": "{connection}", "scope": "weekly_summary"},
    ),
    api(
        "shares",
        "POST",
        "shares",
        ALICE,
        201,
        data={"connection_id": "{connection}", "scope": "theme", "theme_id": "{theme}"},
        # Bob is in the connection, but the theme is alice's: he cannot share it.
        special=dict.fromkeys(BOB_PARTY - ALICE, 422),
    ),
    api("shares/views", "GET", "shares/views", SIGNED_IN),
    api("shares/revoke-all", "POST", "shares/revoke-all", SIGNED_IN),
    api("shares/<share_id>", "DELETE", "shares/{theme_share}", ALICE, 204),
    # --- API: shared with me ----------------------------------------------------------------
    api("shared-with-me", "GET", "shared-with-me", SIGNED_IN),
    api("shared-with-me/<share_id>", "GET", "shared-with-me/{theme_share}", RECIPIENT),
    api("shared-with-me/<share_id>", "GET", "shared-with-me/{summary_share}", RECIPIENT),
    api("shared-with-me/<share_id>", "GET", "shared-with-me/{map_share}", RECIPIENT),
    api(
        "shared-with-me/<share_id>/moments/<moment_id>",
        "GET",
        "shared-with-me/{theme_share}/moments/{shared_moment}",
        RECIPIENT,
    ),
    api(
        "shared-with-me/<share_id>/moments/<moment_id>",
        "GET",
        "shared-with-me/{theme_share}/moments/{unshared_moment}",
        NOBODY,
    ),
    # --- Alice's moments and themes themselves: a share never opens the journal ---------------
    Row("journal/<uuid:id>/", "GET", "/journal/{shared_moment}/", ALICE),
    Row("journal/<uuid:id>/", "GET", "/journal/{unshared_moment}/", ALICE),
    Row("journal/<uuid:id>/edit/", "GET", "/journal/{shared_moment}/edit/", ALICE),
    Row("journal/<uuid:id>/delete/", "POST", "/journal/{shared_moment}/delete/", ALICE, 302),
    api("moments/<moment_id>", "GET", "moments/{shared_moment}", ALICE),
    api("moments/<moment_id>", "PATCH", "moments/{shared_moment}", ALICE, data={"intensity": 2}),
    api("moments", "GET", "moments", SIGNED_IN),
    api("moments/export", "GET", "moments/export", SIGNED_IN),
    api("themes/<theme_id>", "GET", "themes/{theme}", ALICE),
    api("themes/<theme_id>", "GET", "themes/{unshared_theme}", ALICE),
    api("themes", "GET", "themes", SIGNED_IN),
    Row("journal/", "GET", "/journal/", SIGNED_IN),
    Row("settings/data/journal/export/", "GET", "/settings/data/journal/export/", SIGNED_IN),
    Row("settings/data/export/", "POST", "/settings/data/export/", SIGNED_IN),
]


def _routes() -> set[str]:
    return {
        r for r in all_routes() if r.startswith(PROMOTED) or r.startswith("api/v1/shared-with-me")
    }


def test_every_connections_route_is_in_the_table() -> None:
    missing = _routes() - {row.route for row in TABLE}
    assert not missing, f"routes with no row: {sorted(missing)}"


def test_every_row_names_a_route_that_exists() -> None:
    every: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                every.add(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    assert {row.route for row in TABLE} <= every


def build_world(role: str, alice: User, bob: User, carol: User) -> dict[str, str]:
    """Alice's world as ``role`` finds it. Every role sees the same ids in the same places."""
    with_bob = connect(alice, bob, kind="partner")
    with_carol = connect(carol, alice, kind="practitioner")  # carol consented to nothing
    theme = Theme.objects.create(owner=alice, name="date nights")
    shared_moment = MomentFactory(author=alice, theme=theme, cue="shared words")
    # Its name would show in a shared weekly summary (themes are part of it), so no canary.
    unshared_theme = Theme.objects.create(owner=alice, name="kept to myself")
    unshared_moment = MomentFactory(
        author=alice, theme=unshared_theme, cue=CANARY, story=CANARY, notes=CANARY
    )
    # Bob has a moment of his own, so his share form offers the moment search.
    MomentFactory(author=bob, cue="bob's own words")
    _invitation, secret = invitation_create(actor=alice, kind="friend")
    invitation, email_secret = invitation_create(actor=alice, kind="date", email="sam@example.test")
    theme_share = share(alice, with_bob, "theme", theme_id=theme.id, note="so you understand")
    summary_share = share(alice, with_bob, "weekly_summary")
    map_share = share(alice, with_bob, "trigger_map")
    shares = [theme_share, summary_share, map_share]
    if role == "bob_connected":
        Share.objects.filter(id__in=[s.id for s in shares]).delete()
    elif role == "bob_expired":
        Share.objects.filter(id__in=[s.id for s in shares]).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    elif role == "bob_revoked":
        for s in shares:
            share_revoke(actor=alice, share=s)
    elif role == "bob_ended":
        connection_end(actor=alice, connection=with_bob)
    return {
        "connection": str(with_bob.id),
        "carol_connection": str(with_carol.id),
        "theme": str(theme.id),
        "unshared_theme": str(unshared_theme.id),
        "shared_moment": str(shared_moment.id),
        "unshared_moment": str(unshared_moment.id),
        "secret": secret,
        "email_secret": email_secret,
        "invitation": str(invitation.id),
        "theme_share": str(theme_share.id),
        "summary_share": str(summary_share.id),
        "map_share": str(map_share.id),
    }


def _request(client: Client, row: Row, world: dict[str, str]) -> Any:
    if row.first:
        client.get(row.first.format(**world))
    path = row.path.format(**world)
    data = {k: v.format(**world) if isinstance(v, str) else v for k, v in row.data.items()}
    method = getattr(client, row.method.lower())
    if row.json:
        if row.method == "GET":
            return method(path)
        return method(path, data=json.dumps(data), content_type="application/json")
    return method(path) if row.method == "GET" else method(path, data=data)


def _matches(response: Any, expected: Any) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    return bool(response.status_code == expected)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_allows(
    role: str, alice: User, bob: User, carol: User, mallory: User
) -> None:
    world = build_world(role, alice, bob, carol)
    user = {"anonymous": None, "mallory": mallory, "alice": alice, "carol_practitioner": carol}.get(
        role, bob
    )
    mismatches = []
    for row in TABLE:
        # Each row runs in a savepoint that is rolled back: every row meets the same world.
        with transaction.atomic():
            response = _request(client_for(user), row, world)
            body = b"".join(response) if response.streaming else response.content
            transaction.set_rollback(True)
        expected = row.expected(role)
        if not _matches(response, expected):
            mismatches.append(
                f"{row.method} {row.path}: expected {expected}, got {response.status_code}"
            )
        if role != "alice":
            assert CANARY.encode() not in body, f"{role} saw alice's unshared words at {row.path}"
    assert not mismatches, f"{role}:\n" + "\n".join(mismatches)
