from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tend.conftest import client_for
from tend.journal.models import Moment, Theme
from tend.journal.services import moment_delete, moment_log
from tend.journal.themes import theme_archive

pytestmark = pytest.mark.django_db

CANARY = "CANARY-cue-5b1e-only-alice-may-read-this"


@pytest.fixture
def alices_moment(alice: Any) -> Moment:
    moment, _ = moment_log(
        author=alice, states=["flight"], cue=CANARY, story=CANARY + " story", intensity=7
    )
    return moment


def moment_pages(moment: Moment) -> list[tuple[str, str]]:
    base = f"/journal/{moment.id}/"
    return [
        ("get", base),
        ("get", base + "edit/"),
        ("post", base + "edit/"),
        ("post", base + "delete/"),
        ("post", base + "restore/"),
    ]


# ---- Authorization: every page, every persona ---------------------------------------------


@pytest.mark.parametrize("who", ["bob", "carol", "mallory"])
def test_other_people_get_not_found_for_every_page_of_alices_moment(
    personas: dict[str, Any], alices_moment: Moment, who: str
) -> None:
    client = client_for(personas[who])
    for method, url in moment_pages(alices_moment):
        response = getattr(client, method)(url, {"states": ["fight"], "cue": "mine"})
        assert response.status_code == 404, (who, method, url)
        assert CANARY.encode() not in response.content
    alices_moment.refresh_from_db()
    assert alices_moment.deleted_at is None and not alices_moment.edited
    assert alices_moment.cue == CANARY


@pytest.mark.parametrize("who", ["bob", "carol", "mallory"])
def test_other_people_cannot_undo_alices_delete(
    personas: dict[str, Any], alice: Any, alices_moment: Moment, who: str
) -> None:
    moment_delete(actor=alice, moment=alices_moment)
    response = client_for(personas[who]).post(f"/journal/{alices_moment.id}/restore/")
    assert response.status_code == 404
    alices_moment.refresh_from_db()
    assert alices_moment.deleted_at is not None


def test_anonymous_visitors_are_sent_to_sign_in(alices_moment: Moment) -> None:
    client = client_for(None)
    pages = [("get", "/journal/"), ("get", "/journal/new/"), *moment_pages(alices_moment)]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    assert Moment.objects.count() == 1


def test_the_canary_cue_reaches_alice_and_nobody_else(
    personas: dict[str, Any], alices_moment: Moment
) -> None:
    for who, person in personas.items():
        client = client_for(person)
        for url in ["/journal/", "/home/", f"/journal/{alices_moment.id}/", "/journal/new/"]:
            content = client.get(url, follow=True).content
            if who == "alice" and url in ("/journal/", f"/journal/{alices_moment.id}/"):
                assert CANARY.encode() in content, url
            else:
                assert CANARY.encode() not in content, (who, url)


def test_the_timeline_lists_only_my_own_moments(
    alice: Any, bob: Any, alices_moment: Moment
) -> None:
    moment_log(author=bob, states=["fight"], cue="bob's own words")
    content = client_for(alice).get("/journal/").content.decode()
    assert CANARY in content
    assert "bob&#x27;s own words" not in content and "bob's own words" not in content


# ---- Quick capture -------------------------------------------------------------------------


def test_a_state_and_save_logs_an_activation(alice: Any) -> None:
    client = client_for(alice)
    assert client.get("/journal/new/").status_code == 200
    response = client.post("/journal/new/", {"kind": "activation", "states": ["fight"]})
    moment = Moment.objects.get(author=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/journal/{moment.id}/"
    assert (moment.kind, moment.states, moment.cue) == ("activation", ["fight"], "")


def test_a_glimmer_is_logged_with_its_cue_of_safety(alice: Any) -> None:
    client = client_for(alice)
    page = client.get("/journal/new/?kind=glimmer").content.decode()
    assert "What helped you feel safe?" in page
    client.post("/journal/new/", {"kind": "glimmer", "cue": "a hand on my knee"})
    moment = Moment.objects.get(author=alice)
    assert (moment.kind, moment.cue) == ("glimmer", "a hand on my knee")


def test_saving_nothing_explains_what_is_needed_and_keeps_the_page(alice: Any) -> None:
    response = client_for(alice).post("/journal/new/", {"kind": "activation"})
    assert response.status_code == 400
    assert "Choose how you are feeling, or write a few words" in response.content.decode()
    assert Moment.objects.count() == 0


def test_an_invalid_capture_keeps_what_was_typed(alice: Any) -> None:
    typed = "they went quiet on the phone"
    response = client_for(alice).post(
        "/journal/new/", {"kind": "activation", "cue": typed + "\x1b", "states": ["fight"]}
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "control characters" in content
    assert typed in content
    assert 'value="fight" checked' in content or "checked" in content.split('value="fight"')[1][:40]
    assert Moment.objects.count() == 0


# ---- Timeline, detail, edit, delete, undo ----------------------------------------------------


def test_the_empty_journal_invites_a_first_moment_gently(alice: Any) -> None:
    content = client_for(alice).get("/journal/").content.decode()
    assert "Your journal is ready when you are" in content
    assert "/journal/new/" in content


def test_the_timeline_groups_by_day_in_my_time_zone(alice: Any) -> None:
    alice.time_zone = "Pacific/Auckland"
    alice.save()
    now = timezone.now()
    moment_log(author=alice, states=["fight"], occurred_at=now - dt.timedelta(days=3))
    moment_log(author=alice, states=["flight"], occurred_at=now - dt.timedelta(minutes=1))
    content = client_for(alice).get("/journal/").content.decode()
    today = timezone.localtime(now, alice.tz).date()
    three_days_ago = today - dt.timedelta(days=3)
    assert "Today" in content
    assert f'id="day-{three_days_ago:%Y%m%d}"' in content
    assert content.index("Today") < content.index(f'id="day-{three_days_ago:%Y%m%d}"')


def test_the_timeline_is_paginated(alice: Any) -> None:
    now = timezone.now()
    for minutes in range(30):
        moment_log(author=alice, states=["fight"], occurred_at=now - dt.timedelta(minutes=minutes))
    client = client_for(alice)
    first = client.get("/journal/").content.decode()
    second = client.get("/journal/?page=2").content.decode()
    assert first.count('class="moment-card') == 25
    assert second.count('class="moment-card') == 5
    assert "Page 2 of 2" in second


def test_editing_adds_more_and_marks_the_moment_edited(alice: Any, alices_moment: Moment) -> None:
    client = client_for(alice)
    form = client.get(f"/journal/{alices_moment.id}/edit/")
    assert form.status_code == 200
    assert CANARY in form.content.decode()
    response = client.post(
        f"/journal/{alices_moment.id}/edit/",
        {
            "kind": "activation",
            "cue": CANARY,
            "story": CANARY + " story",
            "states": ["flight", "freeze"],
            "intensity": "7",
            "intensity_after": "3",
            "needs": ["left_behind"],
            "contexts": ["partner_on_date"],
            "helped": "hand on heart",
            "occurred_at": timezone.localtime(alices_moment.occurred_at, alice.tz).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    assert response.status_code == 302
    alices_moment.refresh_from_db()
    assert alices_moment.edited
    assert alices_moment.states == ["flight", "freeze"]
    assert alices_moment.intensity_after == 3
    assert alices_moment.needs == ["left_behind"]
    detail = client.get(f"/journal/{alices_moment.id}/").content.decode()
    assert "edited" in detail and "hand on heart" in detail and "Being left behind" in detail


def test_an_invalid_edit_says_what_to_fix_and_changes_nothing(
    alice: Any, alices_moment: Moment
) -> None:
    response = client_for(alice).post(
        f"/journal/{alices_moment.id}/edit/",
        {"kind": "activation", "cue": "", "states": [], "intensity": "11", "helped": "kept this"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Choose a number from 0 to 10." in content
    assert "kept this" in content
    alices_moment.refresh_from_db()
    assert alices_moment.cue == CANARY and not alices_moment.edited


def test_delete_offers_undo_and_undo_brings_the_moment_back(
    alice: Any, alices_moment: Moment
) -> None:
    client = client_for(alice)
    response = client.post(f"/journal/{alices_moment.id}/delete/", follow=True)
    content = response.content.decode()
    assert "Moment deleted." in content and "Undo" in content
    assert CANARY not in content
    assert client.get(f"/journal/{alices_moment.id}/").status_code == 404
    response = client.post(f"/journal/{alices_moment.id}/restore/", follow=True)
    assert CANARY in response.content.decode()
    alices_moment.refresh_from_db()
    assert alices_moment.deleted_at is None


def test_journal_pages_only_accept_the_methods_they_need(alice: Any, alices_moment: Moment) -> None:
    client = client_for(alice)
    assert client.get(f"/journal/{alices_moment.id}/delete/").status_code == 405
    assert client.post("/journal/").status_code == 405


def test_home_offers_a_big_log_a_moment_button_and_the_nav_reaches_the_journal(
    alice: Any,
) -> None:
    content = client_for(alice).get("/home/").content.decode()
    assert 'class="button button-primary capture-cta" href="/journal/new/"' in content
    assert 'href="/journal/"' in content


def test_opening_and_saving_the_edit_form_unchanged_is_not_an_edit(
    alice: Any, alices_moment: Moment
) -> None:
    client = client_for(alice)
    form = client.get(f"/journal/{alices_moment.id}/edit/").context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if value is None:
            continue
        data[name] = field.widget.format_value(value) if name == "occurred_at" else value
    response = client.post(f"/journal/{alices_moment.id}/edit/", data)
    assert response.status_code == 302
    alices_moment.refresh_from_db()
    assert not alices_moment.edited


def test_an_empty_post_is_answered_with_what_to_fix(alice: Any, alices_moment: Moment) -> None:
    client = client_for(alice)
    for url in ("/journal/new/", f"/journal/{alices_moment.id}/edit/"):
        response = client.post(url, {})
        assert response.status_code == 400, url
    assert Moment.objects.count() == 1


# ---- Quick capture sent twice: one moment ---------------------------------------------------


def _capture_key(page: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert match, "the capture form carries an idempotency key"
    return match.group(1)


def test_each_capture_form_is_shown_with_its_own_key(alice: Any) -> None:
    client = client_for(alice)
    first = _capture_key(client.get("/journal/new/").content.decode())
    second = _capture_key(client.get("/journal/new/").content.decode())
    assert first != second


def test_the_same_capture_form_posted_twice_logs_one_moment(alice: Any) -> None:
    client = client_for(alice)
    key = _capture_key(client.get("/journal/new/").content.decode())
    form = {
        "kind": "activation",
        "states": ["fight"],
        "cue": "door slammed",
        "idempotency_key": key,
    }
    first = client.post("/journal/new/", form)
    again = client.post("/journal/new/", form)
    moment = Moment.objects.get(author=alice)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/journal/{moment.id}/"


def test_a_capture_form_sent_again_with_other_words_says_so_and_then_logs_a_new_moment(
    alice: Any,
) -> None:
    client = client_for(alice)
    key = _capture_key(client.get("/journal/new/").content.decode())
    client.post(
        "/journal/new/", {"kind": "activation", "states": ["fight"], "idempotency_key": key}
    )
    changed = {"kind": "activation", "states": ["freeze"], "cue": "typed after going back"}
    response = client.post("/journal/new/", {**changed, "idempotency_key": key})
    page = response.content.decode()
    assert response.status_code == 400
    assert "already saved as a moment" in page
    assert "typed after going back" in page
    new_key = _capture_key(page)
    assert new_key != key
    assert client.post("/journal/new/", {**changed, "idempotency_key": new_key}).status_code == 302
    assert Moment.objects.filter(author=alice).count() == 2


def test_a_capture_form_retried_after_its_theme_was_archived_finds_its_moment(
    alice: Any,
) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner")
    client = client_for(alice)
    key = _capture_key(client.get("/journal/new/").content.decode())
    form = {
        "kind": "activation",
        "states": ["fight"],
        "theme": str(theme.id),
        "idempotency_key": key,
    }
    first = client.post("/journal/new/", form)
    theme_archive(actor=alice, theme=theme)
    again = client.post("/journal/new/", form)
    moment = Moment.objects.get(author=alice)
    assert moment.theme_id == theme.id
    assert again.status_code == 302, again.content.decode()
    assert first["Location"] == again["Location"] == f"/journal/{moment.id}/"


def test_a_new_capture_form_cannot_file_under_an_archived_theme(alice: Any) -> None:
    theme = Theme.objects.create(owner=alice, name="phone at dinner", archived=True)
    client = client_for(alice)
    key = _capture_key(client.get("/journal/new/").content.decode())
    response = client.post(
        "/journal/new/",
        {"kind": "activation", "states": ["fight"], "theme": str(theme.id), "idempotency_key": key},
    )
    assert response.status_code == 400
    assert "This theme is archived" in response.content.decode()
    assert not Moment.objects.exists()


def test_a_capture_form_without_a_key_still_logs(alice: Any) -> None:
    response = client_for(alice).post("/journal/new/", {"kind": "activation", "states": ["fight"]})
    assert response.status_code == 302
    assert Moment.objects.get(author=alice).idempotency_key is None
