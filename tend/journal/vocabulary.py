"""The journal's vocabularies, as data: states, body regions, sensations, needs and contexts.

Each term has a stable ``code`` (stored in moments, used by the API and insights; never renamed),
a short translatable ``label`` and a plain-language ``description``. States are how a person
describes their own nervous system; nothing here is a diagnosis, and the words are chosen so that
they never read as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Side = Literal["front", "back"]


@dataclass(frozen=True)
class Term:
    code: str
    label: str | Promise
    description: str | Promise = ""


@dataclass(frozen=True)
class Region(Term):
    # Where the region is drawn on the body map: on the front, the back, or both.
    sides: tuple[Side, ...] = ("front",)


STATES: tuple[Term, ...] = (
    Term(
        "connected",
        pgettext_lazy("nervous system state", "Connected"),
        _("Safe and social, at ease, able to reach out."),
    ),
    Term(
        "fight",
        pgettext_lazy("nervous system state", "Fight"),
        _("Heated, ready to push back or defend."),
    ),
    Term(
        "flight",
        pgettext_lazy("nervous system state", "Flight"),
        _("Restless, wanting to get away or check."),
    ),
    Term(
        "freeze",
        pgettext_lazy("nervous system state", "Freeze"),
        _("Stuck, braced, unable to move or speak."),
    ),
    Term(
        "fawn", pgettext_lazy("nervous system state", "Fawn"), _("Pleasing, smoothing things over.")
    ),
    Term(
        "shutdown", pgettext_lazy("nervous system state", "Shutdown"), _("Numb, heavy, far away.")
    ),
)

REGIONS: tuple[Region, ...] = (
    Region("head", _("Head"), sides=("front", "back")),
    Region("face", _("Face")),
    Region("eyes", _("Eyes")),
    Region("jaw", _("Jaw")),
    Region("throat", _("Throat")),
    Region("neck", _("Neck"), sides=("back",)),
    Region("shoulders", _("Shoulders"), sides=("front", "back")),
    Region("chest", _("Chest")),
    Region("heart", _("Heart")),
    Region("upper_back", _("Upper back"), sides=("back",)),
    Region("lower_back", _("Lower back"), sides=("back",)),
    Region("belly", _("Belly")),
    Region("gut", _("Gut")),
    Region("left_arm", _("Left arm"), sides=("front", "back")),
    Region("right_arm", _("Right arm"), sides=("front", "back")),
    Region("left_hand", _("Left hand"), sides=("front", "back")),
    Region("right_hand", _("Right hand"), sides=("front", "back")),
    Region("hips", _("Hips"), sides=("front", "back")),
    Region("pelvis", _("Pelvis")),
    Region("left_leg", _("Left leg"), sides=("front", "back")),
    Region("right_leg", _("Right leg"), sides=("front", "back")),
    Region("knees", _("Knees")),
    Region("feet", _("Feet"), sides=("front", "back")),
    Region("skin", _("Skin, all over"), sides=("front", "back")),
    Region("whole_body", _("Whole body"), sides=("front", "back")),
)

SENSATIONS: tuple[Term, ...] = (
    Term("tight", pgettext_lazy("body sensation", "Tight")),
    Term("drop", pgettext_lazy("body sensation", "Sinking, a drop")),
    Term("heat", pgettext_lazy("body sensation", "Heat")),
    Term("cold", pgettext_lazy("body sensation", "Cold")),
    Term("numb", pgettext_lazy("body sensation", "Numb")),
    Term("racing", pgettext_lazy("body sensation", "Racing")),
    Term("heavy", pgettext_lazy("body sensation", "Heavy")),
    Term("buzzing", pgettext_lazy("body sensation", "Buzzing")),
    Term("knot", pgettext_lazy("body sensation", "A knot")),
    Term("shaky", pgettext_lazy("body sensation", "Shaky")),
    Term("pressure", pgettext_lazy("body sensation", "Pressure")),
    Term("ache", pgettext_lazy("body sensation", "Aching")),
    Term("hollow", pgettext_lazy("body sensation", "Hollow")),
    Term("tingling", pgettext_lazy("body sensation", "Tingling")),
    Term("warm", pgettext_lazy("body sensation", "Warm, soft")),
    Term("open", pgettext_lazy("body sensation", "Open, spacious")),
    Term("settled", pgettext_lazy("body sensation", "Settled")),
)

NEEDS: tuple[Term, ...] = (
    Term("being_replaced", _("Being replaced"), _("Fear that someone new will take my place.")),
    Term("left_behind", _("Being left behind"), _("Fear of being left out or left alone.")),
    Term("not_prioritised", _("Not being prioritised"), _("Fear that I come last.")),
    Term("not_enough", _("Not being enough"), _("Fear that I am not enough as I am.")),
    Term("losing_closeness", _("Losing closeness"), _("Fear that our closeness is fading.")),
    Term("not_knowing", _("Not knowing"), _("Needing to know what is happening.")),
    Term("being_compared", _("Being compared"), _("Fear of being measured against someone.")),
    Term("being_lied_to", _("Being lied to"), _("Needing honesty and transparency.")),
    Term("feeling_chosen", _("Feeling chosen"), _("Needing to feel wanted and chosen.")),
    Term("reassurance", _("Reassurance"), _("Needing to hear that we are okay.")),
    Term("autonomy", _("Space of my own"), _("Needing room to be myself.")),
    Term("belonging", _("Belonging"), _("Needing to feel part of something.")),
)

CONTEXTS: tuple[Term, ...] = (
    Term("at_home", pgettext_lazy("where a moment happened", "At home")),
    Term("together", pgettext_lazy("where a moment happened", "Together")),
    Term("apart", pgettext_lazy("where a moment happened", "Apart")),
    Term("partner_on_date", pgettext_lazy("where a moment happened", "Partner on a date")),
    Term("after_date", pgettext_lazy("where a moment happened", "After a date")),
    Term("before_date", pgettext_lazy("where a moment happened", "Before a date")),
    Term("at_event", pgettext_lazy("where a moment happened", "At an event")),
    Term("online", pgettext_lazy("where a moment happened", "Online, on the phone")),
    Term("messages", pgettext_lazy("where a moment happened", "Reading messages")),
    Term("social_media", pgettext_lazy("where a moment happened", "Social media")),
    Term("with_metamour", pgettext_lazy("where a moment happened", "With a metamour")),
    Term("at_night", pgettext_lazy("where a moment happened", "At night")),
    Term("at_work", pgettext_lazy("where a moment happened", "At work")),
    Term("travelling", pgettext_lazy("where a moment happened", "Travelling")),
)

KINDS: tuple[Term, ...] = (
    Term("activation", _("Activation"), _("A cue of threat: something set my alarm off.")),
    Term("glimmer", _("Glimmer"), _("A cue of safety: something helped me feel safe.")),
)

VocabularyKind = Literal["states", "regions", "sensations", "needs", "contexts"]

VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "states": STATES,
    "regions": REGIONS,
    "sensations": SENSATIONS,
    "needs": NEEDS,
    "contexts": CONTEXTS,
}

_BY_CODE: dict[str, dict[str, Term]] = {
    kind: {term.code: term for term in terms} for kind, terms in VOCABULARIES.items()
}
_BY_CODE["kinds"] = {term.code: term for term in KINDS}


def codes(kind: str) -> frozenset[str]:
    return frozenset(_BY_CODE[kind])


def term(kind: str, code: str) -> Term | None:
    return _BY_CODE[kind].get(code)


def label(kind: str, code: str) -> str:
    """The translated label of a code, or the code itself if the vocabulary no longer has it."""
    found = _BY_CODE[kind].get(code)
    return str(found.label) if found is not None else code


def choices(kind: str) -> list[tuple[str, str | Promise]]:
    return [(t.code, t.label) for t in _BY_CODE[kind].values()]
