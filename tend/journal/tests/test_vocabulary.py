from __future__ import annotations

from django.utils import translation

from tend.journal import vocabulary


def test_every_vocabulary_has_unique_stable_codes() -> None:
    for kind, terms in vocabulary.VOCABULARIES.items():
        codes = [t.code for t in terms]
        assert len(codes) == len(set(codes)), kind
        assert all(c.isascii() and c == c.lower() and " " not in c for c in codes), kind


def test_the_states_are_the_six_self_descriptions_and_three_of_safety() -> None:
    assert [t.code for t in vocabulary.STATES] == [
        "connected",
        "fight",
        "flight",
        "freeze",
        "fawn",
        "shutdown",
        "calm",
        "playful",
        "still",
    ]
    # Each state is explained in plain words, so a chip is understood without a glossary.
    assert all(str(t.description) for t in vocabulary.STATES)


def test_a_glimmer_offers_only_states_of_safety_and_an_activation_its_defences() -> None:
    glimmer = [t.code for t in vocabulary.states_for("glimmer")]
    activation = [t.code for t in vocabulary.states_for("activation")]
    assert glimmer == ["connected", "calm", "playful", "still"]
    assert activation == ["fight", "flight", "freeze", "fawn", "shutdown", "connected"]
    # Every state is offered by one kind or the other.
    assert set(glimmer) | set(activation) == set(vocabulary.codes("states"))


def test_the_body_map_has_at_least_24_regions_on_front_and_back() -> None:
    assert len(vocabulary.REGIONS) >= 24
    sides = {side for region in vocabulary.REGIONS for side in region.sides}
    assert sides == {"front", "back"}
    assert {"jaw", "throat", "chest", "gut", "upper_back", "left_hand", "feet", "skin"} <= {
        r.code for r in vocabulary.REGIONS
    }


def test_needs_and_contexts_include_the_common_fears_and_places() -> None:
    assert {
        "being_replaced",
        "left_behind",
        "not_prioritised",
        "not_enough",
        "losing_closeness",
    } <= vocabulary.codes("needs")
    assert {
        "at_home",
        "apart",
        "partner_on_date",
        "after_date",
        "at_event",
        "online",
    } <= vocabulary.codes("contexts")


def test_labels_are_translatable_and_unknown_codes_fall_back_to_the_code() -> None:
    with translation.override("en"):
        assert vocabulary.label("states", "freeze") == "Freeze"
    assert vocabulary.label("needs", "retired_code") == "retired_code"


def test_the_edit_form_opens_the_section_with_an_error_and_says_which_are_filled_in() -> None:
    from tend.journal.forms import MomentForm

    form = MomentForm(
        {"kind": "activation", "story": "they'd rather be away", "minutes_to_settle": "-5"},
        initial={"kind": "activation"},
    )
    assert not form.is_valid()
    sections = form.sections()
    assert sections["after"] == {"open": True, "filled": True}
    assert sections["underneath"] == {"open": False, "filled": True}
    # "When" always holds a time; on its own that is not "filled in".
    assert sections["when"]["filled"] is False


def test_a_glimmer_is_asked_an_activations_questions_only_if_it_answered_one() -> None:
    from tend.journal.forms import MomentForm

    assert not MomentForm(initial={"kind": "glimmer"}, kind="glimmer").asks_activation_parts()
    kept = MomentForm(initial={"kind": "glimmer", "urge": "to call them"}, kind="glimmer")
    assert kept.asks_activation_parts()
    assert MomentForm(initial={"kind": "activation"}).asks_activation_parts()
