"""What bob can fetch never holds what alice did not share, and revoking takes effect at once."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.models import Connection
from tend.connections.services import connection_end
from tend.connections.tests.factories import connect, share
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db

CANARY = "CANARY-unshared-cue-91b2"
SHARED = "SHARED-cue-5d0a"

# Addresses a crawl must not follow: they end the session or leave the site.
SKIP = ("/accounts/logout/", "/static/", "/api/v1/docs", "http", "mailto:", "#", "/sw.js")


def _body(response: Any) -> bytes:
    return b"".join(response) if response.streaming else bytes(response.content)


def _crawl(client: Client, starts: list[str], limit: int = 150) -> dict[str, bytes]:
    """GET every same-site page reachable from ``starts`` (links in the HTML), up to ``limit``."""
    seen: dict[str, bytes] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0).split("#", 1)[0]
        if path in seen or path.startswith(SKIP) or not path.startswith("/"):
            continue
        response = client.get(path)
        seen[path] = _body(response)
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(rb'href="([^"]+)"', seen[path]):
                queue.append(href.decode().replace("&amp;", "&"))
    return seen


def _everything_bob_can_fetch(bob_client: Client) -> dict[str, bytes]:
    fetched = _crawl(bob_client, ["/home/", "/connections/", "/connections/shared/"])
    for path in (
        "/api/v1/connections",
        "/api/v1/connections/polycule",
        "/api/v1/shared-with-me",
        "/api/v1/shares",
        "/api/v1/shares/views",
        "/api/v1/moments",
        "/api/v1/moments/export",
        "/api/v1/moments/export?format=csv",
        "/api/v1/themes",
        "/settings/data/journal/export/",
    ):
        fetched[path] = _body(bob_client.get(path))
    shared = json.loads(fetched["/api/v1/shared-with-me"])["items"]
    for item in shared:
        path = f"/api/v1/shared-with-me/{item['id']}"
        fetched[path] = _body(bob_client.get(path))
        for moment in json.loads(fetched[path]).get("moments") or []:
            one = f"{path}/moments/{moment['id']}"
            fetched[one] = _body(bob_client.get(one))
    fetched["account export"] = _body(bob_client.post("/settings/data/export/"))
    for message in mail.outbox:
        fetched[f"email to {message.to}"] = (message.subject + message.body).encode()
        for alternative, _type in getattr(message, "alternatives", []):
            fetched[f"html email to {message.to}"] = str(alternative).encode()
    return fetched


def test_a_canary_in_alices_unshared_cue_never_reaches_bob(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(alice, bob)
        theme = Theme.objects.create(owner=alice, name="date nights")
        MomentFactory(author=alice, theme=theme, cue=SHARED, story="a shared story")
        # The unshared moment: same week (so it counts in the summary), no theme, canary cue.
        MomentFactory(author=alice, cue=CANARY, notes=CANARY, action=CANARY, urge=CANARY)
        share(alice, connection, "theme", theme_id=theme.id, note="for you")
        share(alice, connection, "weekly_summary", include_stories=True)
        share(alice, connection, "trigger_map")
        # Things that send email: an invitation to bob's address, ending another connection.
        from tend.connections.services import invitation_create

        invitation_create(actor=alice, kind="friend", email=bob.email)
    fetched = _everything_bob_can_fetch(client_for(bob))
    # The crawl reached the shared things (so the test looks where the data would be).
    assert any(SHARED.encode() in body for body in fetched.values())
    assert len(fetched) > 20
    leaks = [where for where, body in fetched.items() if CANARY.encode() in body]
    assert not leaks, f"alice's unshared cue reached bob at: {leaks}"


def test_revoking_between_two_requests_makes_the_second_a_404(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    theme = Theme.objects.create(owner=alice, name="date nights")
    moment = MomentFactory(author=alice, theme=theme, cue=SHARED)
    theme_share = share(alice, connection, "theme", theme_id=theme.id)
    bob_client, alice_client = client_for(bob), client_for(alice)
    page = f"/connections/shared/{theme_share.id}/moments/{moment.id}/"
    api = f"/api/v1/shared-with-me/{theme_share.id}/moments/{moment.id}"
    assert bob_client.get(page).status_code == 200
    assert bob_client.get(api).status_code == 200

    assert alice_client.post(f"/connections/shares/{theme_share.id}/revoke/").status_code == 302

    assert bob_client.get(page).status_code == 404
    assert bob_client.get(api).status_code == 404
    assert bob_client.get(f"/connections/shared/{theme_share.id}/").status_code == 404
    # Nothing produced afterwards carries the item.
    fetched = _everything_bob_can_fetch(bob_client)
    leaks = [where for where, body in fetched.items() if SHARED.encode() in body]
    assert not leaks, f"the revoked moment still reached bob at: {leaks}"


def test_ending_between_two_requests_stops_access_both_ways(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    theirs = share(bob, connection, "weekly_summary")
    moment = MomentFactory(author=alice, cue=SHARED)
    mine = share(alice, connection, "moment", moment_id=moment.id)
    assert client_for(alice).get(f"/connections/shared/{theirs.id}/").status_code == 200
    assert client_for(bob).get(f"/connections/shared/{mine.id}/").status_code == 200

    connection_end(actor=bob, connection=Connection.objects.get(id=connection.id), quietly=True)

    assert client_for(alice).get(f"/connections/shared/{theirs.id}/").status_code == 404
    assert client_for(bob).get(f"/connections/shared/{mine.id}/").status_code == 404
    # Each keeps their own history.
    assert client_for(alice).get(f"/journal/{moment.id}/").status_code == 200


def test_a_shared_map_leaves_out_named_people_and_raw_words(alice: User, bob: User) -> None:
    from tend.journal.people import person_add

    connection = connect(alice, bob)
    person, _ = person_add(owner=alice, label="PERSON-label-3c1")
    theme = Theme.objects.create(owner=alice, name="date nights")
    for _i in range(3):
        moment = MomentFactory(
            author=alice, theme=theme, urge="URGE-words-88", action="ACTION-words-77"
        )
        moment.people.add(person)
        MomentFactory(author=alice, kind="glimmer", states=["connected"], cue="GLIMMER-cue-12")
    shared = share(alice, connection, "trigger_map")
    body = client_for(bob).get(f"/connections/shared/{shared.id}/").content.decode()
    assert "Alice" in body and "trigger map" in body
    for words in ("PERSON-label-3c1", "URGE-words-88", "ACTION-words-77", "GLIMMER-cue-12"):
        assert words not in body
