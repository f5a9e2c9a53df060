from __future__ import annotations

import re

import pytest
from django.core import mail

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.models import Connection, Share
from tend.connections.tests.factories import connect, share
from tend.core.models import AuditEvent
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def test_inviting_by_link_then_accepting_connects_the_two(alice: User, bob: User) -> None:
    response = client_for(alice).post("/connections/invite/", {"kind": "partner"})
    assert response.status_code == 200
    found = re.search(r'value="http[^"]*?(/connections/join/\?t=[^"]+)"', response.content.decode())
    assert found
    path = found.group(1)
    bob_client = client_for(bob)
    # The secret is kept in bob's session and the address loses it.
    assert bob_client.get(path)["Location"] == "/connections/join/"
    page = bob_client.get("/connections/join/")
    assert page.status_code == 200
    assert "Alice" in page.content.decode() and "Partner" in page.content.decode()
    # Opening the link accepted nothing.
    assert not Connection.objects.exists()
    accepted = bob_client.post("/connections/join/")
    assert accepted.status_code == 302
    assert Connection.objects.filter(user_a=alice, user_b=bob, status="active").exists()
    assert bob_client.get(path).status_code == 404


def test_the_link_page_asks_a_visitor_to_sign_up_or_in_and_come_back(alice: User) -> None:
    from tend.connections.services import invitation_create

    _inv, secret = invitation_create(actor=alice, kind="friend")
    visitor = client_for(None)
    visitor.get(f"/connections/join/?t={secret}")
    page = visitor.get("/connections/join/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/accounts/signup/?next=/connections/join/" in html
    assert "/accounts/login/?next=/connections/join/" in html
    assert secret not in html
    response = visitor.post("/connections/join/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/connections/join/"
    assert not Connection.objects.exists()


def test_pages_render_for_both_sides(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    theme = Theme.objects.create(owner=alice, name="date nights")
    moment = MomentFactory(author=alice, theme=theme, cue="shared words")
    s = share(alice, connection, "theme", theme_id=theme.id, note="so you understand")
    summary = share(alice, connection, "weekly_summary")
    a, b = client_for(alice), client_for(bob)
    for path in (
        "/connections/",
        f"/connections/{connection.id}/",
        "/connections/shares/",
        "/connections/safety/",
        f"/connections/{connection.id}/share/",
    ):
        assert a.get(path).status_code == 200, path
    shared = b.get("/connections/shared/")
    assert "Alice" in shared.content.decode()
    item = b.get(f"/connections/shared/{s.id}/").content.decode()
    assert "so you understand" in item and "shared words" in item
    assert item.index("so you understand") < item.index("shared words")
    assert b.get(f"/connections/shared/{s.id}/moments/{moment.id}/").status_code == 200
    assert b.get(f"/connections/shared/{summary.id}/").status_code == 200
    assert AuditEvent.objects.filter(action="share.viewed", subject=alice, actor=bob).count() == 3
    views = a.get("/connections/shares/").content.decode()
    assert "Bob" in views


def test_sharing_a_theme_from_the_form(alice: User, bob: User) -> None:
    connection = connect(alice, bob)
    theme = Theme.objects.create(owner=alice, name="date nights")
    response = client_for(alice).post(
        f"/connections/{connection.id}/share/",
        {"scope": "theme", "theme": str(theme.id), "note": "", "expires": "7"},
    )
    assert response.status_code == 302
    created = Share.objects.get()
    assert created.theme == theme and created.expires_at is not None


def test_safety_check_page_runs_and_keeps_this_device_signed_in(
    alice: User, bob: User, django_capture_on_commit_callbacks: object
) -> None:
    connect(alice, bob)
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/connections/safety/", {"confirm": "yes"})
    assert response.status_code == 200
    assert not Connection.objects.filter(status="active").exists()
    assert client.get("/connections/").status_code == 200
    assert mail.outbox == []  # quietly: nobody is told


def test_discreet_mode_shows_a_neutral_name_in_the_tab_and_top_bar(alice: User) -> None:
    client = client_for(alice)
    assert "<title>Together · Tend</title>" in client.get("/connections/").content.decode()
    assert client.post("/connections/discreet/", {"neutral_name": "on"}).status_code == 302
    page = client.get("/journal/").content.decode()
    assert "<title>Notes</title>" in page
    assert "<span>Notes</span>" in page and "neutral-icon.svg" in page
    client.post("/connections/discreet/", {})
    assert "<title>Notes</title>" not in client.get("/journal/").content.decode()
