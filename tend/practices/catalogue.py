"""The resourcing library, as data: every practice Tend offers, with plain steps and honest notes.

Like the journal's vocabularies, each practice has a stable ``code`` (stored in practice sessions,
used by the API and the insights; never renamed) and translatable words. ``suits_states`` uses
the journal's state codes (a self-description, never a diagnosis). ``evidence`` says plainly how
much is known: some practices are well studied, many are simply kind things to try.

A breath ``pattern`` is seconds per phase: (in, hold, out, hold). A phase of 0 is skipped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tend.journal import vocabulary

Kind = Literal[
    "breath", "grounding", "touch", "movement", "coregulation", "reflection", "conversation"
]
Text = str | Promise
Pattern = tuple[float, float, float, float]

KINDS: tuple[tuple[str, Text], ...] = (
    ("breath", _("Breath")),
    ("grounding", _("Grounding")),
    ("touch", _("Touch")),
    ("movement", _("Movement")),
    ("coregulation", _("With someone")),
    ("reflection", _("Reflection")),
    ("conversation", _("A calm conversation")),
)
KIND_CODES = frozenset(code for code, _label in KINDS)
STATE_CODES = ("connected", "fight", "flight", "freeze", "fawn", "shutdown")
# What a phase is called when a practice does not name it itself.
PHASE_NAMES: tuple[Text, Text, Text, Text] = (
    pgettext_lazy("breath phase", "Breathe in"),
    pgettext_lazy("breath phase", "Hold"),
    pgettext_lazy("breath phase", "Breathe out"),
    pgettext_lazy("breath phase", "Rest"),
)
CUSTOM = "custom"


@dataclass(frozen=True)
class Practice:
    code: str
    kind: Kind
    title: Text
    summary: Text
    steps: tuple[Text, ...]
    suits_states: tuple[str, ...]
    duration_seconds: int
    evidence: Text
    pattern: Pattern | None = None
    # Names of the four phases when they are not the usual in/hold/out/rest.
    phase_names: tuple[Text, Text, Text, Text] | None = None
    # A message a person can send as it is (co-regulation); never sent by Tend itself.
    message: Text = ""
    # Set for a person's own practice (``CustomPractice``), shown through the same player.
    custom_id: uuid.UUID | None = None

    @property
    def is_breath(self) -> bool:
        return self.pattern is not None

    def phases(self) -> list[dict[str, object]]:
        """The non-empty phases of the pattern, with their names, for the pacer."""
        if self.pattern is None:
            return []
        names = self.phase_names or PHASE_NAMES
        return [
            {"index": i, "name": str(names[i]), "seconds": seconds}
            for i, seconds in enumerate(self.pattern)
            if seconds > 0
        ]

    @property
    def minutes(self) -> int:
        return max(1, round(self.duration_seconds / 60))

    @property
    def state_labels(self) -> list[str]:
        return [vocabulary.label("states", code) for code in self.suits_states]

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def is_custom(self) -> bool:
        return self.custom_id is not None

    @property
    def key(self) -> str:
        """What tells sessions apart: the catalogue code, or "custom:" and the row id."""
        return f"{CUSTOM}:{self.custom_id}" if self.custom_id else self.code

    @property
    def cycle_seconds(self) -> float:
        return float(sum(self.pattern)) if self.pattern else 0.0


SLOW_BREATHING_NOTE = _(
    "Slow breathing (about six breaths a minute) is among the better-studied practices: many "
    "small studies find it raises heart-rate variability and eases how anxious people feel in "
    "the moment. Effects are modest and short-lived; it is a way back to centre, not a cure."
)
GROUNDING_NOTE = _(
    "Grounding exercises are widely taught by therapists for anxiety and overwhelm, but there "
    "is little controlled research on them. Many people find that turning attention to the "
    "senses interrupts a spiral. Try it and notice what it does for you."
)
TOUCH_NOTE = _(
    "Studies of soothing touch (including touching oneself) suggest it can lower the body's "
    "stress response a little, though the research is small and early. Be gentle and stop if "
    "touch does not feel safe today."
)
MOVEMENT_NOTE = _(
    "Movement helps discharge the energy of fight or flight, and walking is well known to lift "
    "mood. Shaking and pushing are taught in somatic therapies with little formal research "
    "behind them. Move within what your body can do."
)
REFLECTION_NOTE = _(
    "Reflection and writing about feelings (expressive writing) has a mixed but encouraging "
    "research record. These prompts are best used when you feel fairly calm, not at the peak "
    "of an activation."
)

PRACTICES: tuple[Practice, ...] = (
    # ---- Breath ----------------------------------------------------------------------------
    Practice(
        code="physiological_sigh",
        kind="breath",
        title=_("Physiological sigh"),
        summary=_("Two breaths in through the nose, one long breath out through the mouth."),
        steps=(
            _("Breathe in through your nose."),
            _("At the top, take a second short sip of air in."),
            _("Let it all out slowly through your mouth, longer than the breaths in."),
            _("Repeat for a minute or two, or as long as it helps."),
        ),
        suits_states=("fight", "flight", "freeze"),
        duration_seconds=120,
        pattern=(2, 1, 6, 0),
        phase_names=(
            pgettext_lazy("breath phase", "Breathe in"),
            pgettext_lazy("breath phase", "Sip in a little more"),
            pgettext_lazy("breath phase", "Long breath out"),
            pgettext_lazy("breath phase", "Rest"),
        ),
        evidence=_(
            "One randomised study (2023, 111 people, five minutes a day for a month) found that "
            "this kind of cyclic sighing lifted mood and slowed breathing a little more than "
            "mindfulness meditation. Promising, but it is one study."
        ),
    ),
    Practice(
        code="long_exhale",
        kind="breath",
        title=_("Long exhale"),
        summary=_("Breathe in for 4, out for 7: a longer breath out than in."),
        steps=(
            _("Sit or stand so your belly can move."),
            _("Breathe in gently through your nose for a count of 4."),
            _("Breathe out slowly, as if through a straw, for a count of 7."),
            _("Keep going; if the counts feel long, shorten both and keep the out-breath longer."),
        ),
        suits_states=("fight", "flight", "fawn"),
        duration_seconds=180,
        pattern=(4, 0, 7, 0),
        evidence=SLOW_BREATHING_NOTE,
    ),
    Practice(
        code="box_breathing",
        kind="breath",
        title=_("Box breathing"),
        summary=_("In, hold, out, hold: four even sides of 4 seconds."),
        steps=(
            _("Breathe in for 4."),
            _("Hold gently for 4."),
            _("Breathe out for 4."),
            _("Rest with empty lungs for 4, then begin again."),
        ),
        suits_states=("flight", "fight"),
        duration_seconds=240,
        pattern=(4, 4, 4, 4),
        evidence=_(
            "Box breathing is widely taught (to first responders, among others) and slows "
            "breathing to about four breaths a minute. There is little research on the box "
            "itself; it shares what is known about slow breathing in general. Skip the holds "
            "if they make you feel light-headed."
        ),
    ),
    Practice(
        code="breath_478",
        kind="breath",
        title=_("4-7-8 breathing"),
        summary=_("In for 4, hold for 7, out for 8. A few rounds only."),
        steps=(
            _("Breathe in quietly through your nose for 4."),
            _("Hold for 7."),
            _("Breathe out through your mouth, with a soft whoosh, for 8."),
            _("Do four rounds, then breathe normally."),
        ),
        suits_states=("flight", "fight"),
        duration_seconds=76,
        pattern=(4, 7, 8, 0),
        evidence=_(
            "Popular and easy to remember, but only a few small studies have looked at 4-7-8 "
            "itself. The long hold does not suit everyone: if it feels uncomfortable, choose "
            "the long exhale instead."
        ),
    ),
    Practice(
        code="resonance_breathing",
        kind="breath",
        title=_("Slow breathing, six a minute"),
        summary=_("Five seconds in, five seconds out: about six breaths a minute."),
        steps=(
            _("Breathe in softly for 5 seconds, letting your belly rise."),
            _("Breathe out softly for 5 seconds."),
            _("No need to breathe deeply: slow and easy is enough."),
            _("Continue for five minutes, or as long as feels good."),
        ),
        suits_states=("flight", "fight", "fawn", "connected"),
        duration_seconds=300,
        pattern=(5, 0, 5, 0),
        evidence=SLOW_BREATHING_NOTE,
    ),
    # ---- Grounding -------------------------------------------------------------------------
    Practice(
        code="grounding_54321",
        kind="grounding",
        title=_("5-4-3-2-1"),
        summary=_("Name what you notice with each of your senses."),
        steps=(
            _("Look around and name 5 things you can see."),
            _("Notice 4 things you can touch, and feel them."),
            _("Listen for 3 things you can hear."),
            _("Notice 2 things you can smell, or two smells you like."),
            _("Notice 1 thing you can taste, or take a sip of water."),
        ),
        suits_states=("flight", "freeze", "shutdown"),
        duration_seconds=180,
        evidence=GROUNDING_NOTE,
    ),
    Practice(
        code="orienting",
        kind="grounding",
        title=_("Orienting to the room"),
        summary=_("Let your eyes slowly take in where you are, right now."),
        steps=(
            _("Slowly turn your head and let your eyes wander around the room."),
            _("Let them rest on something pleasant or neutral: a colour, a plant, the light."),
            _("Notice the edges of the room, the doors, the space behind you."),
            _("Tell yourself where you are and that, right now, you are here."),
            _("Notice any small change in your breath or shoulders."),
        ),
        suits_states=("freeze", "flight", "fawn", "shutdown"),
        duration_seconds=120,
        evidence=GROUNDING_NOTE,
    ),
    Practice(
        code="feet_on_floor",
        kind="grounding",
        title=_("Feet on the floor"),
        summary=_("Feel the ground holding you up."),
        steps=(
            _("Place both feet flat on the floor."),
            _("Press them down gently and feel the floor push back."),
            _("Notice your heels, the balls of your feet, your toes."),
            _("Feel the chair or the ground holding your weight. You do not have to hold it all."),
        ),
        suits_states=("flight", "freeze", "shutdown", "fight"),
        duration_seconds=90,
        evidence=GROUNDING_NOTE,
    ),
    Practice(
        code="temperature",
        kind="grounding",
        title=_("Temperature"),
        summary=_("Cool water, or something warm in your hands."),
        steps=(
            _("Run cool water over your wrists, or splash it on your face."),
            _("Or hold something cold (a glass, an ice cube) or warm (a mug) in your hands."),
            _("Notice the temperature and how it changes."),
            _("Breathe out slowly while you feel it."),
        ),
        suits_states=("fight", "flight", "shutdown"),
        duration_seconds=90,
        evidence=_(
            "Cool water on the face triggers the body's diving reflex, which slows the heart; "
            "this is well established, and some therapies (DBT) use it for intense moments. "
            "Avoid very cold water if you have a heart condition."
        ),
    ),
    # ---- Touch -----------------------------------------------------------------------------
    Practice(
        code="hand_on_chest",
        kind="touch",
        title=_("Hand on chest: which part of me feels unsafe?"),
        summary=_("Pause, place a hand on your chest, and ask gently."),
        steps=(
            _("Pause. You do not have to do anything about it yet."),
            _("Place a hand on your chest and feel its warmth."),
            _("Ask, gently: which part of me feels unsafe right now?"),
            _(
                "Listen for an answer without arguing with it: perhaps the part that fears being "
                "left behind."
            ),
            _("Tell that part you hear it. What would help it feel a little safer?"),
        ),
        suits_states=("fawn", "flight", "freeze", "fight"),
        duration_seconds=180,
        evidence=TOUCH_NOTE,
    ),
    Practice(
        code="hand_on_belly",
        kind="touch",
        title=_("Hand on chest and belly"),
        summary=_("One hand on your heart, one on your belly; feel them rise and fall."),
        steps=(
            _("Place one hand on your chest and one on your belly."),
            _("Feel the warmth of your hands."),
            _("Notice which hand moves as you breathe."),
            _("Let the belly hand rise a little more with each breath."),
        ),
        suits_states=("fight", "flight", "fawn", "freeze"),
        duration_seconds=120,
        evidence=TOUCH_NOTE,
    ),
    Practice(
        code="self_hug",
        kind="touch",
        title=_("Self-hug"),
        summary=_("Wrap your arms around yourself and hold on."),
        steps=(
            _("Cross your arms and hold your upper arms or shoulders."),
            _("Squeeze gently, as firmly as feels good."),
            _("If you like, rock slowly from side to side."),
            _("Stay as long as you want to."),
        ),
        suits_states=("shutdown", "freeze", "fawn"),
        duration_seconds=90,
        evidence=TOUCH_NOTE,
    ),
    # ---- Movement --------------------------------------------------------------------------
    Practice(
        code="shaking_out",
        kind="movement",
        title=_("Shaking it out"),
        summary=_("Shake your hands, arms and legs loose, the way animals do."),
        steps=(
            _("Stand up if you can, knees soft."),
            _("Shake your hands loosely, then your arms."),
            _("Let the shaking move into your shoulders, then one leg, then the other."),
            _("Stop, stand still, and notice what your body feels like now."),
        ),
        suits_states=("fight", "freeze", "flight"),
        duration_seconds=60,
        evidence=MOVEMENT_NOTE,
    ),
    Practice(
        code="wall_push",
        kind="movement",
        title=_("Pushing against a wall"),
        summary=_("Give the push somewhere safe to go."),
        steps=(
            _("Stand facing a wall and put both palms on it."),
            _("Push, slowly and firmly, as if you could move it, for about 10 seconds."),
            _("Let go and feel your arms and legs."),
            _("Repeat three times, breathing out as you push."),
        ),
        suits_states=("fight", "freeze"),
        duration_seconds=60,
        evidence=MOVEMENT_NOTE,
    ),
    Practice(
        code="walking",
        kind="movement",
        title=_("Walking"),
        summary=_("A short walk, noticing each step."),
        steps=(
            _("Walk, inside or outside, at whatever pace your body wants."),
            _("Notice each foot as it touches the ground."),
            _("Let your arms swing and your eyes look around."),
            _("After a few minutes, slow down and notice how you feel."),
        ),
        suits_states=("fight", "flight", "shutdown"),
        duration_seconds=600,
        evidence=MOVEMENT_NOTE,
    ),
    # ---- Co-regulation ---------------------------------------------------------------------
    Practice(
        code="reach_out",
        kind="coregulation",
        title=_("Reach out to someone you trust"),
        summary=_("Send a ready message to a chosen person."),
        steps=(
            _("Think of someone who feels safe: a friend, a partner, a metamour, a coach."),
            _("Send them the message below, or your own words."),
            _("While you wait, keep your feet on the floor and breathe out slowly."),
            _("If they cannot answer right now, that says nothing about your worth."),
        ),
        suits_states=("fawn", "shutdown", "freeze", "flight"),
        duration_seconds=300,
        message=_(
            "I'm feeling activated right now. Could you be with me for a few minutes, by "
            "phone or in person? You don't need to fix anything."
        ),
        evidence=_(
            "Co-regulation (calming in the presence of a caring person) is central to "
            "attachment research: a supportive presence measurably eases stress responses. "
            "How much it helps depends on the person and the relationship."
        ),
    ),
    Practice(
        code="breathe_together",
        kind="coregulation",
        title=_("Breathe together"),
        summary=_("Share a calm pacer with someone, on both your screens."),
        steps=(
            _("Start a shared pacer and send the link to someone who uses Tend."),
            _("When they open it, you breathe in step: 5 in, 5 out."),
            _("Either of you can end it. The link stops working when it ends."),
        ),
        suits_states=("fawn", "flight", "shutdown", "connected"),
        duration_seconds=300,
        pattern=(5, 0, 5, 0),
        evidence=_(
            "Breathing together can bring two people's rhythms closer, and slow breathing is "
            "well studied on its own. Research on doing it remotely is very new."
        ),
    ),
    # ---- Reflection ------------------------------------------------------------------------
    Practice(
        code="reflect_tender_places",
        kind="reflection",
        title=_("What feels scary or unsettling?"),
        summary=_("Questions to explore, on your own or with a partner, while calm."),
        steps=(
            _("What parts of me dating other people feel scary or unsettling?"),
            _("Where do I feel that in my body?"),
            _("Which part of me is afraid, and what does it fear might happen?"),
            _("What would help that part feel a little safer?"),
        ),
        suits_states=("connected",),
        duration_seconds=600,
        evidence=REFLECTION_NOTE,
    ),
    Practice(
        code="reflect_seen_prioritized",
        kind="reflection",
        title=_("Feeling seen and prioritised"),
        summary=_("A question to ask a partner, and to ask yourself."),
        steps=(
            _("What can I do to help you feel seen and prioritized?"),
            _("What helps me feel seen and prioritised? Think of a specific moment."),
            _("Which small, repeatable gesture would tell me \u201cI'm still here\u201d?"),
        ),
        suits_states=("connected", "fawn"),
        duration_seconds=600,
        evidence=REFLECTION_NOTE,
    ),
    Practice(
        code="reflect_abundance",
        kind="reflection",
        title=_("Love that is not a possession"),
        summary=_("Prompts on abundance and non-possessive love."),
        steps=(
            _("When has love in my life grown rather than been divided?"),
            _("What is unique about what I share with my partner, that no one else could replace?"),
            _(
                "My worth is not measured by being the only one. What do I believe about that "
                "today?"
            ),
            _("What would belonging look like, if it did not require exclusivity?"),
        ),
        suits_states=("connected",),
        duration_seconds=600,
        evidence=REFLECTION_NOTE,
    ),
    Practice(
        code="reflect_compersion",
        kind="reflection",
        title=_("Compersion, gently"),
        summary=_("Noticing any gladness for a partner's joy, without forcing it."),
        steps=(
            _("Think of a time a partner was happy with someone else. What did I feel first?"),
            _("Is there any small part of me that is glad for their joy? It is fine if not."),
            _("What would I need to feel a little more of that gladness?"),
            _("Jealousy and compersion can live side by side. What is true for me right now?"),
        ),
        suits_states=("connected",),
        duration_seconds=600,
        evidence=REFLECTION_NOTE,
    ),
    Practice(
        code="reflect_body_story",
        kind="reflection",
        title=_("The story my body holds"),
        summary=_("Getting curious about the story behind an activation."),
        steps=(
            _("What story did my mind tell when this started?"),
            _("Is that story old? When have I felt this way before?"),
            _("What do I actually know, and what am I guessing?"),
            _("Can I meet this fear with compassion, not control?"),
        ),
        suits_states=("connected", "fawn"),
        duration_seconds=600,
        evidence=REFLECTION_NOTE,
    ),
    # ---- A calm conversation ---------------------------------------------------------------
    Practice(
        code="calm_conversation",
        kind="conversation",
        title=_("Preparing a calm conversation"),
        summary=_("Attuned communication, not rigid rules: get ready to talk while grounded."),
        steps=(
            _(
                "Check in with your body first. If your intensity is above 4, resource first and "
                "talk later."
            ),
            _("Name the tender place in one sentence, about you, not them."),
            _("Think of one specific, doable request (not a rule about feelings)."),
            _(
                "Ask a vulnerable question, such as: what parts of me dating other people feel "
                "scary or unsettling?"
            ),
            _("Agree a time when you are both calm, and how either of you can pause."),
        ),
        suits_states=("connected",),
        duration_seconds=600,
        evidence=_(
            "Couples research finds that conversations started gently and softly go better, "
            "and that flooding (a racing body) makes listening hard. Preparing while calm is "
            "the point of this practice."
        ),
    ),
)

_BY_CODE: dict[str, Practice] = {p.code: p for p in PRACTICES}


def get(code: str) -> Practice | None:
    return _BY_CODE.get(code)


def title(code: str) -> str:
    """The translated title of a code, or a plain word if it is a custom or unknown one."""
    found = _BY_CODE.get(code)
    if found is not None:
        return str(found.title)
    if code == CUSTOM:
        return str(_("Your own practice"))
    return code


def codes() -> frozenset[str]:
    return frozenset(_BY_CODE)


def suiting(state: str) -> list[Practice]:
    """Practices that suit a state, in catalogue order."""
    return [p for p in PRACTICES if state in p.suits_states]


def kind_label(kind: str) -> str:
    return next((str(label) for code, label in KINDS if code == kind), kind)
