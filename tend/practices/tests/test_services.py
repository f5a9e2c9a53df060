from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from tend.core.models import AuditEvent
from tend.journal.tests.factories import MomentFactory
from tend.practices.crisis import crisis_lines
from tend.practices.models import PracticeSession, SharedBreath
from tend.practices.selectors import BreathEnded, shared_breath_for
from tend.practices.services import (
    activation_outcome_save,
    custom_practice_create,
    custom_practice_update,
    practice_session_record,
    shared_breath_end,
    shared_breath_join,
    shared_breath_start,
)
from tend.practices.suggest import suggestions_for
from tend.practices.tests.factories import CustomPracticeFactory, PracticeSessionFactory

pytestmark = pytest.mark.django_db


def codes(found: list[Any]) -> list[str]:
    return [s.practice.key for s in found]


def test_without_history_suggestions_suit_the_state_a_breath_first_then_other_kinds(
    alice: Any,
) -> None:
    found = suggestions_for(viewer=alice, state="freeze")
    assert [s.practice.kind for s in found] == ["breath", "grounding", "touch"]
    assert all("freeze" in s.practice.suits_states for s in found)
    assert not any(s.from_history for s in found)


def test_without_a_state_the_quick_ones_are_offered(alice: Any) -> None:
    assert codes(suggestions_for(viewer=alice)) == [
        "physiological_sigh",
        "long_exhale",
        "feet_on_floor",
    ]


def test_one_try_is_not_enough_to_rank_by(alice: Any) -> None:
    PracticeSessionFactory(
        author=alice, practice_code="walking", intensity_before=9, intensity_after=1, state="fight"
    )
    found = suggestions_for(viewer=alice, state="fight")
    assert "walking" not in codes(found)[:1]
    assert not found[0].from_history


def test_the_median_drop_ranks_and_only_the_chosen_state_counts(alice: Any, bob: Any) -> None:
    for after in (6, 5, 7):  # drops 2, 3, 1: median 2
        PracticeSessionFactory(
            author=alice,
            practice_code="box_breathing",
            intensity_before=8,
            intensity_after=after,
            state="flight",
        )
    for after in (2, 7):  # drops 6, 1: median 3.5
        PracticeSessionFactory(
            author=alice,
            practice_code="orienting",
            intensity_before=8,
            intensity_after=after,
            state="flight",
        )
    # In another state, and another person's, the numbers do not count here.
    for _ in range(3):
        PracticeSessionFactory(
            author=alice,
            practice_code="walking",
            intensity_before=9,
            intensity_after=0,
            state="fight",
        )
        PracticeSessionFactory(
            author=bob,
            practice_code="self_hug",
            intensity_before=9,
            intensity_after=0,
            state="flight",
        )
    found = suggestions_for(viewer=alice, state="flight")
    assert codes(found)[:2] == ["orienting", "box_breathing"]
    assert (found[0].median_drop, found[0].tries, found[0].drop_text) == (3.5, 2, "3.5")
    assert (found[1].median_drop, found[1].tries, found[1].drop_text) == (2.0, 3, "2")
    assert "walking" not in codes(found) and "self_hug" not in codes(found)


def test_what_did_not_help_this_person_is_not_offered_again(alice: Any) -> None:
    for after in (8, 9):
        PracticeSessionFactory(
            author=alice,
            practice_code="physiological_sigh",
            intensity_before=8,
            intensity_after=after,
            state="fight",
        )
    assert "physiological_sigh" not in codes(suggestions_for(viewer=alice, state="fight"))


def test_ones_own_practice_can_be_ranked_first(alice: Any) -> None:
    own = CustomPracticeFactory(author=alice, name="Humming")
    for _ in range(2):
        PracticeSessionFactory(
            author=alice,
            practice_code="custom",
            custom_practice=own,
            intensity_before=7,
            intensity_after=2,
            state="fawn",
        )
    found = suggestions_for(viewer=alice, state="fawn")
    assert found[0].practice.custom_id == own.id and str(found[0].practice.title) == "Humming"


def test_a_session_needs_a_known_practice_and_own_practices_of_ones_own(
    alice: Any, bob: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        practice_session_record(author=alice, practice_code="made_up", intensity_before=12)
    assert set(error.value.message_dict) == {"practice_code", "intensity_before"}
    bobs = CustomPracticeFactory(author=bob)
    with pytest.raises(ValidationError):
        practice_session_record(author=alice, practice_code="custom", custom_practice_id=bobs.id)


def test_own_practice_names_stay_out_of_the_audit_log(alice: Any) -> None:
    practice = custom_practice_create(author=alice, name="SECRET-NAME", kind="grounding")
    event = AuditEvent.objects.get(action="practices.custom.create")
    assert event.target_id == str(practice.id)
    assert "SECRET" not in str(event.meta)


def test_an_edit_of_ones_own_practice_audits_the_changed_fields_as_a_list(alice: Any) -> None:
    practice = custom_practice_create(author=alice, name="Humming", kind="grounding")
    custom_practice_update(actor=alice, practice=practice, name="Soft humming", steps="Hum.")
    event = AuditEvent.objects.get(action="practices.custom.update")
    assert event.meta == {"fields": ["name", "steps"]}


def test_a_shared_breath_keeps_only_a_hash_of_its_token_and_lasts_at_most_an_hour(
    alice: Any,
) -> None:
    breath, token = shared_breath_start(host=alice, minutes=60)
    assert len(token) >= 40
    assert breath.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(SharedBreath.objects.filter(id=breath.id).values().get())
    assert breath.expires_at - breath.started_at == dt.timedelta(hours=1)
    with pytest.raises(ValidationError):
        shared_breath_start(host=alice, minutes=90)


def test_the_first_other_person_takes_the_seat_and_either_can_end(
    alice: Any, bob: Any, carol: Any
) -> None:
    breath, token = shared_breath_start(host=alice)
    joined = shared_breath_join(viewer=bob, breath=shared_breath_for(viewer=bob, token=token))
    assert joined.guest_id == bob.pk
    with pytest.raises(Http404):
        shared_breath_for(viewer=carol, token=token)
    with pytest.raises(PermissionDenied):
        shared_breath_end(actor=carol, breath=breath)
    shared_breath_end(actor=bob, breath=joined)
    with pytest.raises(BreathEnded):
        shared_breath_for(viewer=alice, token=token)


def test_an_expired_shared_breath_is_over(alice: Any) -> None:
    breath, token = shared_breath_start(host=alice, minutes=5)
    SharedBreath.objects.filter(id=breath.id).update(expires_at=timezone.now())
    with pytest.raises(BreathEnded):
        shared_breath_for(viewer=alice, token=token)
    with pytest.raises(Http404):
        shared_breath_for(viewer=alice, token="x" + token)


def test_crisis_lines_come_from_the_setting_and_unsafe_entries_are_left_out() -> None:
    lines = (
        '[{"name": "Line A", "phone": "+44 116 123", "url": "https://a.example"},'
        ' {"name": "Line B", "url": "javascript:alert(1)", "sms": "85258"},'
        ' {"phone": "999"}, "nonsense"]'
    )
    with override_settings(TEND_CRISIS_LINES=lines):
        found = crisis_lines()
    assert [line.name for line in found] == ["Line A", "Line B"]
    assert found[0].tel == "+44116123" and found[1].url == "" and found[1].sms_number == "85258"
    with override_settings(TEND_CRISIS_LINES="not json"):
        assert crisis_lines() == []
    with override_settings(TEND_CRISIS_LINES=[{"name": "As a list"}]):
        assert crisis_lines()[0].name == "As a list"


def test_the_data_export_holds_ones_own_practices_and_sessions_only(alice: Any, bob: Any) -> None:
    from tend.accounts.export import export_sections

    own = CustomPracticeFactory(author=alice, name="Humming")
    PracticeSessionFactory(author=alice, practice_code="custom", custom_practice=own)
    PracticeSessionFactory(author=bob)
    sections = export_sections()
    practices = sections["own_practices"](alice)
    sessions = sections["practice_sessions"](alice)
    assert [p["name"] for p in practices] == ["Humming"]
    assert [s["title"] for s in sessions] == ["Humming"]


def test_a_session_without_a_start_began_its_duration_ago(alice: Any) -> None:
    before = timezone.now()
    session = practice_session_record(author=alice, practice_code="walking", duration_seconds=600)
    started = session.started_at
    assert (
        before - dt.timedelta(seconds=601) <= started <= timezone.now() - dt.timedelta(seconds=599)
    )


def test_a_second_submit_of_a_run_attached_to_a_moment_saves_it_once(alice: Any) -> None:
    moment = MomentFactory(author=alice)
    outcomes = [
        activation_outcome_save(
            author=alice,
            practice_code="walking",
            moment_id=moment.id,
            idempotency_key="k1",
            started_at=None,
            duration_seconds=60,
            intensity_before=7,
            intensity_after=4,
        )
        for _ in range(2)
    ]
    assert PracticeSession.objects.filter(author=alice).count() == 1
    assert [created for _moment, _session, created in outcomes] == [True, False]
    assert outcomes[1][0] == moment
    assert outcomes[1][1] == outcomes[0][1]


def test_the_operator_is_warned_only_while_no_crisis_line_can_be_shown() -> None:
    from tend.practices.crisis import missing_lines_warning

    for unusable in ("[]", "not json", '[{"phone": "999"}]'):
        with override_settings(TEND_CRISIS_LINES=unusable):
            assert "TEND_CRISIS_LINES" in missing_lines_warning()
    with override_settings(TEND_CRISIS_LINES='[{"name": "Listening Line"}]'):
        assert missing_lines_warning() == ""
