from __future__ import annotations

from tend.journal import vocabulary
from tend.practices import catalogue


def test_the_library_has_at_least_twenty_practices_each_with_steps_and_suited_states() -> None:
    assert len(catalogue.PRACTICES) >= 20
    for practice in catalogue.PRACTICES:
        assert practice.steps, practice.code
        assert all(str(step).strip() for step in practice.steps), practice.code
        assert practice.suits_states, practice.code
        assert str(practice.evidence).strip(), practice.code


def test_suited_states_are_journal_state_codes() -> None:
    states = vocabulary.codes("states")
    for practice in catalogue.PRACTICES:
        assert set(practice.suits_states) <= states, practice.code


def test_codes_are_unique_and_kinds_known() -> None:
    codes = [p.code for p in catalogue.PRACTICES]
    assert len(codes) == len(set(codes))
    assert all(p.kind in catalogue.KIND_CODES for p in catalogue.PRACTICES)


def test_every_family_of_the_issue_is_in_the_library() -> None:
    kinds = {p.kind for p in catalogue.PRACTICES}
    assert kinds == set(catalogue.KIND_CODES)
    for code in (
        "physiological_sigh",
        "long_exhale",
        "box_breathing",
        "breath_478",
        "resonance_breathing",
        "grounding_54321",
        "orienting",
        "feet_on_floor",
        "temperature",
        "hand_on_chest",
        "reach_out",
        "breathe_together",
        "calm_conversation",
    ):
        assert catalogue.get(code) is not None, code


def test_breath_patterns_are_four_phases_and_resonance_is_about_six_a_minute() -> None:
    for practice in catalogue.PRACTICES:
        if practice.pattern is not None:
            assert len(practice.pattern) == 4
            assert practice.cycle_seconds > 0
    resonance = catalogue.get("resonance_breathing")
    assert resonance is not None
    assert 5.5 <= 60 / resonance.cycle_seconds <= 6.5


def test_the_seeds_words_are_in_the_library() -> None:
    texts = " ".join(str(s) for p in catalogue.PRACTICES for s in p.steps)
    assert "which part of me feels unsafe right now?" in texts
    assert "What parts of me dating other people feel scary or unsettling?" in texts
    assert "What can I do to help you feel seen and prioritized?" in texts
