"""Connections, invitations, shares and Safety Check."""

from __future__ import annotations

from tend.core.tests.matrix.base import (
    API_ALICES,
    API_OWN,
    CANARY,
    LOGIN,
    OTHERS,
    Row,
    owned,
    page,
    public,
    redirect,
)

CONNECTIONS: list[Row] = [
    # --- Connections (alice is connected with dave and erin, not with bob, carol, mallory) ---
    Row("connections/", "GET", "/connections/", page()),
    Row(
        "connections/visibility/",
        "POST",
        "/connections/visibility/",
        page(signed_in=302),
        data={"appear_to_metamours": "name", "show_my_connections": "on"},
    ),
    Row("connections/invite/", "POST", "/connections/invite/", page(), data={"kind": "friend"}),
    # The link keeps its secret in the visitor's session and leads on to the address without
    # it; that address, with no link opened first, has nothing to show anyone.
    Row(
        "connections/join/",
        "GET",
        "/connections/join/?t={conn_secret}",
        public(redirect("/connections/join/")),
    ),
    Row("connections/join/", "GET", "/connections/join/", public(404)),
    Row(
        "connections/join/",
        "GET",
        "/connections/join/",
        public(),
        first="/connections/join/?t={conn_secret}",
    ),
    Row("connections/shares/", "GET", "/connections/shares/", page()),
    Row("connections/shared/", "GET", "/connections/shared/", page()),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{conn_from_dave}/", owned()),
    Row(
        "connections/shared/<uuid:id>/moments/<uuid:moment_id>/",
        "GET",
        "/connections/shared/{conn_from_dave}/moments/{conn_dave_moment}/",
        owned(),
    ),
    Row("connections/safety/", "GET", "/connections/safety/", page()),
    Row(
        "connections/discreet/",
        "POST",
        "/connections/discreet/",
        page(signed_in=302),
        data={"neutral_name": "on"},
    ),
    # Without the confirmation the form answers with itself; the real run is tested in connections.
    Row("connections/safety/", "POST", "/connections/safety/", page(signed_in=302)),
    # The one confirmation: shown to each for their own account, running nothing.
    Row("connections/safety/", "GET", "/connections/safety/?confirm=1", page()),
    Row("connections/<uuid:id>/", "GET", "/connections/{conn_connection}/", owned()),
    Row(
        "connections/<uuid:id>/label/",
        "POST",
        "/connections/{conn_connection}/label/",
        owned(alice=302),
        data={"label": "D."},
    ),
    Row("connections/<uuid:id>/share/", "GET", "/connections/{conn_connection}/share/", owned()),
    # Searching her moments for the share: her words, to her only.
    Row(
        "connections/<uuid:id>/share/",
        "POST",
        "/connections/{conn_connection}/share/",
        owned(),
        data={"find": "1", "moment_q": CANARY[:12]},
    ),
    Row(
        "connections/<uuid:id>/share/",
        "POST",
        "/connections/{conn_connection}/share/",
        owned(alice=302),
        data={"scope": "weekly_summary"},
    ),
    Row("api/v1/connections", "GET", "/api/v1/connections", API_OWN),
    Row("api/v1/connections/polycule", "GET", "/api/v1/connections/polycule", API_OWN),
    Row(
        "api/v1/connections/visibility",
        "PUT",
        "/api/v1/connections/visibility",
        API_OWN,
        data={"appear_to_metamours": "hidden", "show_my_connections": False},
        json=True,
    ),
    # Without {"confirm": true} nothing runs (422).
    Row(
        "api/v1/connections/safety-check",
        "POST",
        "/api/v1/connections/safety-check",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 422)},
        json=True,
    ),
    Row(
        "api/v1/connections/<connection_id>",
        "GET",
        "/api/v1/connections/{conn_connection}",
        API_ALICES,
    ),
    Row(
        "api/v1/connections/<connection_id>/label",
        "PUT",
        "/api/v1/connections/{conn_connection}/label",
        API_ALICES,
        data={"label": "D."},
        json=True,
    ),
    Row("api/v1/invitations", "GET", "/api/v1/invitations", API_OWN),
    Row(
        "api/v1/invitations",
        "POST",
        "/api/v1/invitations",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"kind": "friend"},
        json=True,
    ),
    Row(
        "api/v1/invitations/accept",
        "POST",
        "/api/v1/invitations/accept",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"token": "inv_no-such-invitation"},
        json=True,
    ),
    Row(
        "api/v1/invitations/<invitation_id>",
        "DELETE",
        "/api/v1/invitations/{conn_invitation}",
        owned(204, 401),
    ),
    Row(
        "connections/invitations/<uuid:id>/revoke/",
        "POST",
        "/connections/invitations/{conn_invitation2}/revoke/",
        owned(alice=302),
    ),
    Row("api/v1/shares", "GET", "/api/v1/shares", API_OWN),
    # A connection that is not the asker's: 404 for everyone (alice's own is tested in the app).
    Row(
        "api/v1/shares",
        "POST",
        "/api/v1/shares",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"connection_id": "00000000-0000-4000-8000-000000000000", "scope": "trigger_map"},
        json=True,
    ),
    Row("api/v1/shares/views", "GET", "/api/v1/shares/views", API_OWN),
    Row("api/v1/shared-with-me", "GET", "/api/v1/shared-with-me", API_OWN),
    Row(
        "api/v1/shared-with-me/<share_id>",
        "GET",
        "/api/v1/shared-with-me/{conn_from_dave}",
        API_ALICES,
    ),
    Row(
        "api/v1/shared-with-me/<share_id>/moments/<moment_id>",
        "GET",
        "/api/v1/shared-with-me/{conn_from_dave}/moments/{conn_dave_moment}",
        API_ALICES,
    ),
    Row("api/v1/shares/<share_id>", "DELETE", "/api/v1/shares/{conn_share}", owned(204, 401)),
    Row(
        "connections/shares/<uuid:id>/revoke/",
        "POST",
        "/connections/shares/{conn_share2}/revoke/",
        owned(alice=302),
    ),
    Row("api/v1/shares/revoke-all", "POST", "/api/v1/shares/revoke-all", API_OWN),
    Row(
        "connections/shares/revoke-all/",
        "POST",
        "/connections/shares/revoke-all/",
        page(signed_in=302),
    ),
    Row(
        "api/v1/connections/<connection_id>/end",
        "POST",
        "/api/v1/connections/{conn_connection}/end",
        owned(204, 401),
        data={"quietly": True},
        json=True,
    ),
    Row(
        "connections/<uuid:id>/end/",
        "POST",
        "/connections/{conn_connection2}/end/",
        owned(alice=302),
    ),
]


JOIN_LAST: list[Row] = [
    # Last, since accepting connects (and alice's own invitations were withdrawn by her Safety
    # Check above, which also ended her connection with dave): dave's link invitation. Whoever
    # opened the link may accept it, and is taken to the new connection; a visitor signs in
    # first. (Refusals: tend/connections/tests/test_authorization.py and test_joining.py.)
    Row(
        "connections/join/",
        "POST",
        "/connections/join/",
        {"anonymous": LOGIN, **dict.fromkeys(("alice", *OTHERS), redirect("/connections/"))},
        first="/connections/join/?t={conn_dave_secret}",
    ),
]
