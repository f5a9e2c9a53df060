from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings

from tend.conftest import client_for
from tend.journal.models import Moment
from tend.practices import catalogue
from tend.practices.models import CustomPractice, PracticeSession
from tend.practices.tests.factories import CustomPracticeFactory, PracticeSessionFactory

pytestmark = pytest.mark.django_db


def test_the_library_lists_every_catalogue_practice(alice: Any) -> None:
    response = client_for(alice).get("/practices/")
    assert response.status_code == 200
    body = response.content.decode()
    for practice in catalogue.PRACTICES:
        assert f"/practices/practice/{practice.code}/" in body


def test_every_catalogue_practice_has_a_player_page(alice: Any) -> None:
    client = client_for(alice)
    for practice in catalogue.PRACTICES:
        response = client.get(f"/practices/practice/{practice.code}/")
        assert response.status_code == 200, practice.code
        if practice.is_breath:
            assert b'id="pacer-phases"' in response.content
        else:
            assert response.content.count(b'class="step"') == len(practice.steps)


def test_an_unknown_practice_is_a_404(alice: Any) -> None:
    assert client_for(alice).get("/practices/practice/no_such_thing/").status_code == 404


def test_a_shortened_run_is_possible_with_seconds(alice: Any) -> None:
    response = client_for(alice).get("/practices/practice/long_exhale/?seconds=6")
    assert b'data-duration="6"' in response.content
    response = client_for(alice).get("/practices/practice/long_exhale/?seconds=2")
    assert b'data-duration="180"' in response.content


def test_the_flow_asks_intensity_then_state_then_suggests(alice: Any) -> None:
    client = client_for(alice)
    first = client.get("/practices/activated/").content.decode()
    assert "How strong is it right now?" in first
    assert len(re.findall(r'name="intensity" value="\d+"', first)) == 11
    second = client.get("/practices/activated/?intensity=8").content.decode()
    assert "Which feels closest?" in second and 'value="fight"' in second
    third = client.get("/practices/activated/?intensity=8&state=fight").content.decode()
    assert third.count('class="suggestion card"') == 3
    assert "flow=1&amp;intensity=8&amp;state=fight" in third


def test_the_flow_saves_a_moment_with_before_after_and_the_session(alice: Any) -> None:
    response = client_for(alice).post(
        "/practices/activated/save/",
        {
            "practice_code": "long_exhale",
            "flow": "1",
            "intensity_before": "8",
            "intensity_after": "4",
            "state": "fight",
            "duration_seconds": "95",
            "idempotency_key": "k-1",
        },
    )
    session = PracticeSession.objects.get(author=alice)
    assert (
        response.status_code == 302 and response["Location"] == f"/practices/sessions/{session.id}/"
    )
    moment = Moment.objects.get(author=alice)
    assert (moment.intensity, moment.intensity_after, moment.states) == (8, 4, ["fight"])
    assert session.moment == moment and session.practice_code == "long_exhale"
    assert (session.intensity_before, session.intensity_after, session.duration_seconds) == (
        8,
        4,
        95,
    )


def test_a_double_tap_on_save_keeps_one_moment_and_one_session(alice: Any) -> None:
    data = {
        "practice_code": "box_breathing",
        "flow": "1",
        "intensity_before": "6",
        "intensity_after": "3",
        "idempotency_key": "same",
    }
    client = client_for(alice)
    client.post("/practices/activated/save/", data)
    client.post("/practices/activated/save/", data)
    assert Moment.objects.filter(author=alice).count() == 1
    assert PracticeSession.objects.filter(author=alice).count() == 1
    # Without a state or words the moment still says what happened, so it can be kept.
    assert Moment.objects.get(author=alice).cue


def test_an_invalid_rating_shows_the_player_again_with_the_problem(alice: Any) -> None:
    response = client_for(alice).post(
        "/practices/activated/save/",
        {
            "practice_code": "long_exhale",
            "flow": "1",
            "intensity_before": "8",
            "intensity_after": "11",
            "words": "my own words stay",
        },
    )
    assert response.status_code == 400
    assert b"Choose a number from 0" in response.content
    assert b"my own words stay" in response.content
    assert not Moment.objects.exists()


def test_attaching_to_a_moment_being_logged_fills_its_intensities(alice: Any, bob: Any) -> None:
    from tend.journal.services import moment_log

    moment, _ = moment_log(author=alice, states=["freeze"])
    response = client_for(alice).post(
        "/practices/activated/save/",
        {
            "practice_code": "feet_on_floor",
            "flow": "1",
            "intensity_before": "7",
            "intensity_after": "5",
            "moment": str(moment.id),
        },
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert (moment.intensity, moment.intensity_after) == (7, 5)
    assert moment.practice_sessions.get().practice_code == "feet_on_floor"
    # Someone else's moment is not there to attach to.
    response = client_for(bob).post(
        "/practices/activated/save/",
        {
            "practice_code": "feet_on_floor",
            "flow": "1",
            "intensity_before": "7",
            "intensity_after": "5",
            "moment": str(moment.id),
        },
    )
    assert response.status_code == 404


def test_rating_ten_gently_offers_grounding_a_person_and_crisis_lines(alice: Any) -> None:
    lines = '[{"name": "Listening Line", "phone": "0800 123 456", "hours": "Any time"}]'
    with override_settings(TEND_CRISIS_LINES=lines):
        body = client_for(alice).get("/practices/activated/?intensity=10").content.decode()
    assert "have to hold this alone" in body
    assert 'href="tel:0800123456"' in body and "Listening Line" in body
    assert "/practices/practice/feet_on_floor/" in body
    assert "/practices/practice/reach_out/" in body
    # Offered, never forced: the way on is still there.
    assert "Which feels closest?" in body


def test_without_crisis_lines_it_offers_the_emergency_number_and_a_helpline_directory(
    alice: Any,
) -> None:
    with override_settings(TEND_CRISIS_LINES="[]"):
        body = client_for(alice).get("/practices/activated/?unsafe=1").content.decode()
    assert "local emergency number" in body
    assert 'href="https://findahelpline.com"' in body
    # The person is never told about the server's configuration, and no number is guessed.
    assert "set up" not in body and "server" not in body
    assert "tel:" not in body


def test_configured_crisis_lines_replace_the_helpline_directory(alice: Any) -> None:
    with override_settings(TEND_CRISIS_LINES='[{"name": "Listening Line", "phone": "0800"}]'):
        body = client_for(alice).get("/practices/activated/?unsafe=1").content.decode()
    assert "Listening Line" in body and "findahelpline.com" not in body


def test_a_lower_intensity_does_not_show_the_crisis_card(alice: Any) -> None:
    body = client_for(alice).get("/practices/activated/?intensity=6").content.decode()
    assert "Talk to someone now" not in body


def test_own_practice_keeps_what_was_typed_when_it_is_invalid(alice: Any) -> None:
    response = client_for(alice).post(
        "/practices/own/new/",
        {
            "name": "My calm song",
            "kind": "breath",
            "breath_in": "0",
            "hold_in": "0",
            "breath_out": "6",
            "hold_out": "0",
            "minutes": "3",
            "steps": "Hum along",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "at least 1 second" in body
    assert 'value="My calm song"' in body and "Hum along" in body
    assert not CustomPractice.objects.exists()


def test_own_practice_is_saved_encrypted_and_plays_with_its_pattern(alice: Any, bob: Any) -> None:
    client = client_for(alice)
    response = client.post(
        "/practices/own/new/",
        {
            "name": "Ocean breath",
            "kind": "breath",
            "breath_in": "4",
            "hold_in": "2",
            "breath_out": "8",
            "hold_out": "0",
            "minutes": "2",
            "steps": "In\nOut",
            "suits_states": ["flight"],
        },
    )
    practice = CustomPractice.objects.get(author=alice)
    assert response["Location"] == f"/practices/own/{practice.id}/"
    assert practice.pattern == [4, 2, 8, 0] and practice.duration_seconds == 120
    row = CustomPractice.objects.filter(id=practice.id).values_list("name", flat=True).get()
    assert b"Ocean" not in bytes(getattr(row, "blob", b""))
    page = client.get(f"/practices/own/{practice.id}/").content.decode()
    assert "Ocean breath" in page and '"seconds": 8' in page
    assert client_for(bob).get(f"/practices/own/{practice.id}/").status_code == 404


def test_history_lists_sessions_newest_first_in_pages(alice: Any, bob: Any) -> None:
    for i in range(23):
        PracticeSessionFactory(author=alice, intensity_before=8, intensity_after=i % 8)
    PracticeSessionFactory(author=bob, practice_code="walking")
    first = client_for(alice).get("/practices/history/").content.decode()
    assert first.count('class="session-row card"') == 20
    assert "Page 1 of 2" in first and "Walking" not in first
    second = client_for(alice).get("/practices/history/?page=2").content.decode()
    assert second.count('class="session-row card"') == 3


def test_a_deleted_own_practice_leaves_its_sessions_in_the_history(alice: Any) -> None:
    practice = CustomPracticeFactory(author=alice)
    PracticeSessionFactory(author=alice, practice_code="custom", custom_practice=practice)
    client_for(alice).post(f"/practices/own/{practice.id}/delete/")
    body = client_for(alice).get("/practices/history/").content.decode()
    assert "Your own practice (deleted)" in body
