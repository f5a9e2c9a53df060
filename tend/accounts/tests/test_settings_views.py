"""Every settings view, tried as each persona: anonymous people are sent to sign in, and each
signed-in person sees only what is theirs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.conftest import client_for
from tend.core.audit import record
from tend.core.models import AuditEvent

SETTINGS_PAGES = ["/settings/", "/settings/activity/", "/settings/data/"]
SETTINGS_POSTS = ["/settings/data/export/", "/settings/data/delete/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", SETTINGS_PAGES + SETTINGS_POSTS)
def test_it_sends_anonymous_people_to_sign_in(path: str) -> None:
    response = Client().post(path) if path in SETTINGS_POSTS else Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "mallory"])
@pytest.mark.parametrize("path", SETTINGS_PAGES)
def test_each_persona_sees_their_own_settings_pages(
    personas: dict[str, User | None], persona: str, path: str
) -> None:
    user = personas[persona]
    assert user is not None
    others = [u for name, u in personas.items() if u is not None and name != persona]
    response = client_for(user).get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert user.email in body or path == "/settings/activity/"
    for other in others:
        assert other.email not in body


def test_security_activity_lists_only_your_own_events(alice: User, bob: User) -> None:
    record(actor=alice, action="mfa.totp_added")
    record(actor=bob, action="account.signed_in")
    response = client_for(bob).get("/settings/activity/")
    body = response.content.decode()
    assert "Signed in" in body
    assert "Authenticator app turned on" not in body
    assert all(event.subject_id == bob.pk for event in response.context["page"].object_list)


def test_security_activity_leaves_out_your_own_journal_writes(alice: User) -> None:
    record(actor=alice, action="account.signed_in")
    record(actor=alice, action="journal.moment.log")
    page = client_for(alice).get("/settings/activity/").context["page"]
    assert [event.action for event in page.object_list] == ["account.signed_in"]


def test_security_activity_shows_times_in_your_time_zone(alice: User) -> None:
    import datetime as dt

    event = record(actor=alice, action="account.signed_in")
    AuditEvent.objects.filter(pk=event.pk).update(at=dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC))
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    body = client_for(alice).get("/settings/activity/").content.decode()
    assert "15 Jan 2026, 21:00" in body
    assert "Asia/Tokyo" in body


def test_security_activity_is_paginated_by_twenty_five(alice: User) -> None:
    for _ in range(30):
        record(actor=alice, action="account.signed_in")
    client = client_for(alice)
    first = client.get("/settings/activity/")
    second = client.get("/settings/activity/?page=2")
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Page 1 of 2" in first.content.decode()


def test_it_saves_the_profile_and_records_it(alice: User, settings: Any) -> None:
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]  # as once German is complete
    response = client_for(alice).post(
        "/settings/",
        {"display_name": "Ally", "time_zone": "America/New_York", "language": "de"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone, alice.language) == (
        "Ally",
        "America/New_York",
        "de",
    )
    assert AuditEvent.objects.filter(subject=alice, action="account.profile_updated").exists()


def test_light_or_dark_is_kept_per_person_and_marks_their_pages(alice: User, bob: User) -> None:
    fields = {"display_name": "Alice", "time_zone": "Europe/Berlin", "language": "en"}
    response = client_for(alice).post("/settings/", {**fields, "appearance": "dark"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.appearance == "dark"
    home = client_for(alice).get("/home/").content.decode()
    assert '<html lang="en" data-theme="dark">' in home
    assert '<meta name="color-scheme" content="dark">' in home
    # Bob has not chosen: his pages, and pages for people signed out, follow the device.
    assert "data-theme" not in client_for(bob).get("/home/").content.decode()
    assert "data-theme" not in Client().get("/").content.decode()
    # A form without the field (a page cached before it existed) keeps the default.
    client_for(bob).post("/settings/", fields)
    bob.refresh_from_db()
    assert bob.appearance == "system"


def test_an_unknown_appearance_is_refused_with_a_reason(alice: User) -> None:
    response = client_for(alice).post(
        "/settings/",
        {"display_name": "A", "time_zone": "UTC", "language": "en", "appearance": "neon"},
    )
    assert response.status_code == 400
    assert "Choose one of the three in the list" in response.content.decode()


def test_the_profile_form_preselects_the_current_time_zone(alice: User) -> None:
    body = client_for(alice).get("/settings/").content.decode()
    assert '<option value="Europe/Berlin" selected>' in body
    assert '<label for="id_time_zone">' in body


def test_profile_errors_say_what_to_fix_and_keep_what_was_typed(alice: User) -> None:
    response = client_for(alice).post(
        "/settings/",
        {"display_name": "Ally the brave", "time_zone": "Mars/Olympus", "language": "en"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a time zone from the list" in body
    assert 'value="Ally the brave"' in body
    assert 'aria-invalid="true"' in body
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_a_too_long_name_is_refused_with_a_reason(alice: User) -> None:
    response = client_for(alice).post(
        "/settings/", {"display_name": "x" * 61, "time_zone": "UTC", "language": "en"}
    )
    assert response.status_code == 400
    assert "60 characters or fewer" in response.content.decode()


def test_the_settings_nav_links_every_section(alice: User) -> None:
    body = client_for(alice).get("/settings/").content.decode()
    for href in [
        "/settings/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/settings/tokens/",
        "/settings/activity/",
        "/settings/data/",
    ]:
        assert f'href="{href}"' in body


def test_allauth_manage_pages_show_the_settings_nav(alice: User) -> None:
    for path in ["/accounts/2fa/", "/accounts/sessions/", "/accounts/email/"]:
        body = client_for(alice).get(path).content.decode()
        assert 'aria-label="Settings sections"' in body
        assert 'aria-current="page"' in body


def test_the_sessions_page_lists_only_your_own_devices(
    alice: User, bob: User, password: str
) -> None:
    alice_client, bob_client = Client(), Client()
    alice_client.post("/accounts/login/", {"login": alice.email, "password": password})
    bob_client.post("/accounts/login/", {"login": bob.email, "password": password})
    response = alice_client.get("/accounts/sessions/")
    assert response.status_code == 200
    assert [s.user_id for s in response.context["sessions"]] == [alice.pk]
    assert "This device" in response.content.decode()


def test_the_sessions_page_sends_anonymous_people_to_sign_in(db: None) -> None:
    response = Client().get("/accounts/sessions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_account_action_has_a_plain_label() -> None:
    from tend.accounts.selectors import ACTION_LABELS, action_label

    for code in ACTION_LABELS:
        assert action_label(code) != code
    assert action_label("later.app_event") == "Later: app event"


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox on Linux",
        ),
        ("", "Unknown browser"),
    ],
)
def test_sessions_name_devices_the_way_people_recognise_them(user_agent: str, name: str) -> None:
    from tend.accounts.templatetags.accounts_tags import device_name

    assert device_name(user_agent) == name
