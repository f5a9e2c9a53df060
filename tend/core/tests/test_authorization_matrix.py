"""Every URL Tend serves, tried as every persona, from one table.

Each row names a route (its pattern, exactly as Django resolves it), a method, the concrete path
to request (``{token}`` and ``{moment}`` stand for alice's own objects) and the status each
persona must get. A route that exists but is missing from the table fails
``test_every_route_is_in_the_table``, so a new view cannot ship without its authorization row.

Beyond the status, no response to anyone but alice may contain alice's canary text.

The rows live in ``tend/core/tests/matrix/rows.py``, a section per part of Tend; ``TABLE`` lists
them in the order they run (some rows change state a later row relies on).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.accounts.tests.factories import passkey_for
from tend.api.services import token_create
from tend.booking.tests.matrix import booking_things
from tend.careplans.tests.matrix import careplans_things
from tend.coaching.tests.matrix import coaching_things
from tend.conftest import client_for
from tend.core.tests.matrix.base import (
    API_OWN,
    CANARY,
    HOME,
    LOGIN,
    PERSONAS,
    Row,
    all_routes,
    page,
)
from tend.core.tests.matrix.rows import (
    API,
    BOOKING,
    CAREPLANS,
    COACHING,
    CONNECTIONS,
    INSIGHTS,
    JOIN_LAST,
    JOURNAL,
    NOTIFICATIONS,
    PRACTICES,
    RITUALS,
    SETTINGS,
    SHELL_AND_ACCOUNTS,
)
from tend.journal.models import Theme
from tend.journal.people import person_add
from tend.journal.services import moment_update
from tend.journal.tests.factories import MomentFactory
from tend.notifications.models import Notification, PushSubscription
from tend.practices.tests.matrix import practices_things
from tend.rituals.tests.matrix import rituals_things

TABLE: list[Row] = [
    *SHELL_AND_ACCOUNTS,
    *BOOKING,
    *COACHING,
    *SETTINGS,
    *JOURNAL,
    *CONNECTIONS,
    *INSIGHTS,
    *API,
    *NOTIFICATIONS,
    *PRACTICES,
    *RITUALS,
    *CAREPLANS,
    *JOIN_LAST,
]


def test_every_route_is_in_the_table() -> None:
    missing = all_routes() - {row.route for row in TABLE}
    assert not missing, f"routes with no authorization row: {sorted(missing)}"


def test_no_request_is_in_the_table_twice() -> None:
    # A copied block would run the same requests twice and hide which row a reader should edit.
    requests = [
        (
            row.method,
            row.path,
            json.dumps(row.data, sort_keys=True),
            json.dumps(row.headers),
            row.first,
        )
        for row in TABLE
    ]
    assert len(requests) == len(set(requests))


def test_the_table_names_only_routes_that_exist() -> None:
    stale = {row.route for row in TABLE} - all_routes()
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def alices_things(alice: User) -> dict[str, str]:
    theme = Theme.objects.create(owner=alice, name=CANARY)
    moment = MomentFactory(author=alice, cue=CANARY, story=CANARY, theme=theme)
    token, _ = token_create(user=alice, name=CANARY[:40], scope="write")
    webauthn = passkey_for(alice, name=CANARY)
    person, _ = person_add(owner=alice, label=CANARY)
    spare_person, _ = person_add(owner=alice, label=CANARY + " spare")
    # Naming someone is an edit: the moment as first written (the canary) becomes a version.
    moment_update(actor=alice, moment=moment, people=[person.id])
    version = moment.versions.get()
    conn = _connections_things(alice, theme=theme, moment=moment)
    notice = Notification.objects.create(recipient=alice, code="checkin.due", link="/home/")
    push_device = PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.test/alice", p256dh="k", auth="a"
    )
    push_device_api = PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.test/alice-api", p256dh="k", auth="a"
    )
    return {
        **conn,
        **practices_things(alice, CANARY),
        **rituals_things(alice, CANARY),
        **careplans_things(alice, CANARY),
        **booking_things(alice, CANARY),
        **coaching_things(alice, CANARY),
        "push_device_api": str(push_device_api.id),
        "notice": str(notice.id),
        "push_device": str(push_device.id),
        "moment": str(moment.id),
        "token": str(token.id),
        "webauthn": str(webauthn.pk),
        "person": str(person.id),
        "spare_person": str(spare_person.id),
        "version": str(version.id),
        "theme": str(theme.id),
    }


def _connections_things(alice: User, *, theme: Theme, moment: Any) -> dict[str, str]:
    """Alice's connections (with dave and erin), invitations and shares, and one share to her."""
    from tend.accounts.tests.factories import UserFactory
    from tend.connections.services import invitation_create
    from tend.connections.tests.factories import connect, share

    dave = UserFactory(display_name="Dave")
    erin = UserFactory(display_name="Erin")
    with_dave = connect(alice, dave)
    with_erin = connect(erin, alice, kind="friend")
    invitation, secret = invitation_create(actor=alice, kind="partner")
    invitation2, _ = invitation_create(actor=alice, kind="friend")
    theme_share = share(alice, with_dave, "theme", theme_id=theme.id, note=CANARY)
    moment_share = share(alice, with_dave, "moment", moment_id=moment.id)
    daves_moment = MomentFactory(author=dave, cue="dave's own words")
    from_dave = share(dave, with_dave, "moment", moment_id=daves_moment.id)
    _daves_invitation, daves_secret = invitation_create(actor=dave, kind="friend")
    return {
        "conn_connection": str(with_dave.id),
        "conn_connection2": str(with_erin.id),
        "conn_invitation": str(invitation.id),
        "conn_invitation2": str(invitation2.id),
        "conn_secret": secret,
        "conn_share": str(theme_share.id),
        "conn_share2": str(moment_share.id),
        "conn_from_dave": str(from_dave.id),
        "conn_dave_moment": str(daves_moment.id),
        "conn_dave_secret": daves_secret,
    }


def _fresh_client_for(user: User | None) -> Client:
    """A client signed in moments ago, as allauth's reauthentication checks expect."""
    client = client_for(user)
    if user is not None:
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "reauthenticated": True}
        ]
        session.save()
    return client


def _request(client: Client, row: Row, path: str, things: dict[str, str] | None = None) -> Any:
    if row.first:
        client.get(row.first.format(**(things or {})))
    method = getattr(client, row.method.lower())
    headers = {name: value.format(**(things or {})) for name, value in row.headers.items()}
    if row.json:
        return method(path, data=json.dumps(row.data), content_type="application/json", **headers)
    if row.method == "GET":
        return method(path, **headers)
    return method(path, data=row.data, **headers)


def _matches(response: Any, expected: Any) -> bool:
    location = response.get("Location", "")
    if expected == LOGIN:
        return response.status_code == 302 and location.startswith("/accounts/login/")
    if expected == HOME:
        return response.status_code == 302 and not location.startswith("/accounts/login/")
    if isinstance(expected, tuple):
        return response.status_code == expected[0] and location.startswith(expected[1])
    return bool(response.status_code == expected)


def _mismatch(row: Row, path: str, response: Any, expected: Any) -> str | None:
    """What went wrong with ``row``'s answer, for the list a failing test prints, or None."""
    if _matches(response, expected):
        return None
    return (
        f"{row.method} {path}: expected {expected}, got "
        f"{response.status_code} {response.get('Location', '')}"
    )


def _body(response: Any) -> bytes:
    return b"".join(response) if response.streaming else bytes(response.content)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_table_says(
    persona: str, personas: dict[str, User | None], alices_things: dict[str, str]
) -> None:
    mismatches = []
    for row in TABLE:
        # Rows run in order: a restore row follows the delete row, so alice can undo it.
        client = _fresh_client_for(personas[persona])
        path = row.path.format(**alices_things)
        response = _request(client, row, path, alices_things)
        if (mismatch := _mismatch(row, path, response, row.expect[persona])) is not None:
            mismatches.append(mismatch)
        if persona != "alice":
            assert CANARY.encode() not in _body(response), f"{persona} saw alice's words at {path}"
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


# --- Between people: what a partner reads of alice, and a group plan someone left ----------
#
# The rows above try alice's things as strangers. These try them as the people she is close to:
# bob, her partner, to whom she shares her weekly summary and her map, with whom she has a
# check-in, and carol, with whom she and bob had a group plan until alice ended her connection
# with carol (bob and carol are still connected). Her own practice's name is hers alone; carol,
# who left the plan, reads nothing of it, and her tender place left with her.

OWN_PRACTICE = "CANARY-alice-own-practice-0f3a"
PLAN_WORDS = {
    "alice": "CANARY-alice-plan-words-6e21",
    "bob": "CANARY-bob-plan-words-93c4",
    "carol": "CANARY-carol-plan-words-d70b",
}
BETWEEN_PARTY = {"anonymous": LOGIN, "alice": 404, "bob": 200, "carol": 404, "mallory": 404}
BETWEEN_PLAN = {"anonymous": LOGIN, "alice": 200, "bob": 200, "carol": 404, "mallory": 404}
BETWEEN_PLAN_API = {**BETWEEN_PLAN, "anonymous": 401}

BETWEEN: list[Row] = [
    # bob reads alice's week and map; her own practice is "a practice of their own" there.
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{summary}/", BETWEEN_PARTY),
    Row("connections/shared/<uuid:id>/", "GET", "/connections/shared/{map}/", BETWEEN_PARTY),
    Row(
        "api/v1/shared-with-me/<share_id>",
        "GET",
        "/api/v1/shared-with-me/{summary}",
        {**BETWEEN_PARTY, "anonymous": 401},
    ),
    Row("api/v1/shared-with-me", "GET", "/api/v1/shared-with-me", API_OWN),
    # The check-in pulls alice's shared week into bob's page.
    Row("rituals/checkins/<uuid:id>/", "GET", "/rituals/checkins/{checkin}/", {**BETWEEN_PLAN}),
    # Her own map names it (checked below), whoever asked for it first.
    Row("insights/", "GET", "/insights/", page()),
    Row("api/v1/insights/map", "GET", "/api/v1/insights/map", API_OWN),
    # The group plan goes on for alice and bob; carol left it.
    Row("careplans/<uuid:id>/", "GET", "/careplans/{group}/", BETWEEN_PLAN),
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/",
        "GET",
        "/careplans/{group}/versions/{group_v1}/",
        BETWEEN_PLAN,
    ),
    Row("careplans/<uuid:id>/history/", "GET", "/careplans/{group}/history/", BETWEEN_PLAN),
    Row("careplans/<uuid:id>/propose/", "GET", "/careplans/{group}/propose/", BETWEEN_PLAN),
    Row("careplans/", "GET", "/careplans/", page()),
    Row("api/v1/careplans/<plan_id>", "GET", "/api/v1/careplans/{group}", BETWEEN_PLAN_API),
    Row(
        "api/v1/careplans/<plan_id>/versions",
        "GET",
        "/api/v1/careplans/{group}/versions",
        BETWEEN_PLAN_API,
    ),
    Row(
        "api/v1/careplans/<plan_id>/versions/<version_id>",
        "GET",
        "/api/v1/careplans/{group}/versions/{group_v1}",
        BETWEEN_PLAN_API,
    ),
    Row("api/v1/careplans", "GET", "/api/v1/careplans", API_OWN),
    # Bob reads alice's revealed action item, but only she marks it done (last: alice's row
    # marks it).
    Row(
        "rituals/actions/<uuid:id>/done/",
        "POST",
        "/rituals/actions/{alices_item}/done/",
        {"anonymous": LOGIN, "alice": 302, "bob": 404, "carol": 404, "mallory": 404},
    ),
]

# What each persona must never read here. Carol's tender place left with her, so nobody reads it
# on the plan (carol herself cannot open the plan any more).
NEVER: dict[str, tuple[str, ...]] = {
    "anonymous": (OWN_PRACTICE, *PLAN_WORDS.values()),
    "mallory": (OWN_PRACTICE, *PLAN_WORDS.values()),
    "alice": (PLAN_WORDS["carol"],),
    "bob": (OWN_PRACTICE, PLAN_WORDS["carol"]),
    "carol": (OWN_PRACTICE, PLAN_WORDS["alice"], PLAN_WORDS["bob"]),
}


@pytest.fixture
def between_things(alice: User, bob: User, carol: User) -> dict[str, str]:
    from tend.careplans.services import agreement_give, careplan_create, proposal_create
    from tend.connections.services import connection_end
    from tend.connections.tests.factories import connect, share
    from tend.practices.tests.factories import own_practice_that_helped
    from tend.rituals.models import ActionItem
    from tend.rituals.services import checkin_answer, checkin_start

    own_practice_that_helped(alice, name=OWN_PRACTICE)
    with_bob, with_carol = connect(alice, bob), connect(alice, carol)
    connect(bob, carol)
    summary = share(alice, with_bob, "weekly_summary")
    trigger_map = share(alice, with_bob, "trigger_map")
    checkin = checkin_start(actor=alice, connection=with_bob)
    checkin_answer(
        actor=alice, checkin=checkin, answers={"went_well": "a walk"}, action_items=["Call"]
    )
    checkin_answer(actor=bob, checkin=checkin, answers={"went_well": "yes"}, action_items=[])
    group = careplan_create(actor=alice, connections=[with_bob, with_carol])
    people = {"alice": alice, "bob": bob, "carol": carol}
    places = [{"owner": str(p.id), "name": PLAN_WORDS[n]} for n, p in people.items()]
    v1 = proposal_create(actor=alice, plan=group, content={"places": places})
    agreement_give(actor=bob, plan=group, version=v1)
    agreement_give(actor=carol, plan=group, version=v1)
    connection_end(actor=alice, connection=with_carol)
    return {
        "summary": str(summary.id),
        "map": str(trigger_map.id),
        "checkin": str(checkin.id),
        "alices_item": str(ActionItem.objects.get(checkin=checkin, author=alice).id),
        "group": str(group.id),
        "group_v1": str(v1.id),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_between_people_each_persona_gets_what_the_table_says(
    persona: str, personas: dict[str, User | None], between_things: dict[str, str]
) -> None:
    from django.core.cache import caches

    # The maps kept for alice come from her first ask; start with none kept.
    caches["insights"].clear()
    mismatches = []
    for row in BETWEEN:
        path = row.path.format(**between_things)
        response = _request(_fresh_client_for(personas[persona]), row, path)
        if (mismatch := _mismatch(row, path, response, row.expect[persona])) is not None:
            mismatches.append(mismatch)
        body = _body(response).decode()
        for words in NEVER[persona]:
            assert words not in body, f"{persona} read {words} at {path}"
        if persona == "alice" and row.route in ("insights/", "api/v1/insights/map"):
            assert OWN_PRACTICE in body, "alice's own map names her own practice"
        if persona == "bob" and any(k in row.path for k in ("{summary}", "{map}", "{checkin}")):
            # So the rows look where the practice would be: what helped her is there, unnamed.
            assert "a practice of their own" in body, path
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


def test_between_rows_name_routes_that_exist() -> None:
    stale = {row.route for row in BETWEEN} - all_routes()
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"
