"""``tend demo [--reset] [--seed N]``: a demo account with six months of invented moments.

Everything goes through the services (so the words are encrypted like anyone's), is invented,
and is the same for the same seed. Running it again leaves an existing demo account as it is;
``--reset`` deletes it and makes it afresh.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tend.accounts.models import User
from tend.accounts.services import account_create, account_delete, generate_password
from tend.journal.models import Moment
from tend.journal.services import moment_log, vocabulary_entry_add
from tend.journal.themes import moment_file, theme_create

EMAIL = "demo@tend.local"
DAYS = 182
TIME_ZONE = "Europe/Berlin"

# (theme, cues, states, needs, contexts, body, evening hour range)
ACTIVATIONS: list[dict[str, Any]] = [
    {
        "theme": "phone at dinner",
        "cues": [
            "Phone buzzed at dinner and they smiled at it",
            "Screen face-up next to the plate",
            "They answered a message mid-sentence",
        ],
        "states": [["flight"], ["fight", "flight"], ["freeze"]],
        "needs": ["not_prioritised", "losing_closeness"],
        "contexts": ["at_home", "together", "messages"],
        "body": [("chest", ["tight"]), ("jaw", ["tight"]), ("gut", ["knot"])],
        "hours": (18, 21),
    },
    {
        "theme": "partner's date nights",
        "cues": [
            "Watched them get ready for their date",
            "Front door closed behind them",
            "No message by midnight on a date night",
        ],
        "states": [["flight"], ["freeze"], ["shutdown"]],
        "needs": ["being_replaced", "left_behind", "not_knowing"],
        "contexts": ["partner_on_date", "apart", "at_night"],
        "body": [("belly", ["drop"]), ("throat", ["tight"]), ("heart", ["racing"])],
        "hours": (19, 23),
    },
    {
        "theme": "metamour posts",
        "cues": [
            "Metamour posted photos from the weekend away",
            "Saw a story of them at our cafe",
            "A comment with a heart from my partner",
        ],
        "states": [["fight"], ["fawn"], ["flight", "freeze"]],
        "needs": ["being_compared", "not_enough"],
        "contexts": ["social_media", "online"],
        "body": [("face", ["heat"]), ("gut", ["drop"]), ("shoulders", ["tight"])],
        "hours": (7, 23),
    },
    {
        "theme": "texts left on read",
        "cues": [
            "Message left on read for three hours",
            "Typing dots, then nothing",
            "A one-word reply to a long message",
        ],
        "states": [["flight"], ["fawn"], ["freeze"]],
        "needs": ["reassurance", "not_prioritised"],
        "contexts": ["apart", "messages", "at_work"],
        "body": [("chest", ["pressure"]), ("left_hand", ["shaky"]), ("head", ["buzzing"])],
        "hours": (9, 22),
    },
]
GLIMMERS = [
    ("Hand on my knee under the table", ["warm"]),
    ("'I've got you', said without my asking", ["open"]),
    ("They texted from their date: thinking of you", ["settled"]),
    ("Morning coffee brought to bed", ["warm"]),
    ("Long hug at the door after they came home", ["settled", "warm"]),
    ("Metamour sent me a kind note", ["open"]),
]
# What helped, and how far it brought the intensity down (a range of points).
HELPS = [
    ("Five slow breaths, long out-breaths", (2, 4)),
    ("Hand on my heart and named it: I'm scared", (3, 5)),
    ("Went for a walk around the block", (2, 5)),
    ("Texted a friend", (1, 3)),
    ("Told them what I noticed, without blame", (4, 6)),
    ("Scrolled more (it didn't help)", (-1, 1)),
]


class Command(BaseCommand):
    help = "Create a demo account with six months of invented moments (prints its password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete and recreate it.")
        parser.add_argument("--seed", type=int, default=7, help="Same seed, same journal (7).")

    def handle(self, *args: Any, **options: Any) -> None:
        existing = User.objects.filter(email=EMAIL).first()
        if existing is not None and not options["reset"]:
            held = Moment.objects.filter(author=existing).count()
            self.stdout.write(
                f"The demo account {EMAIL} already exists ({held} moments). "
                "Run `tend demo --reset` to recreate it with a new password."
            )
            return
        if existing is not None:
            account_delete(user=existing)
        password = generate_password()
        user = account_create(email=EMAIL, password=password)
        user.time_zone = TIME_ZONE
        user.display_name = "Demo"
        user.save(update_fields=["time_zone", "display_name"])
        count = populate(user=user, seed=options["seed"])
        self.stdout.write(self.style.SUCCESS(f"Demo account ready with {count} moments."))
        self.stdout.write(f"Email:    {EMAIL}")
        self.stdout.write(f"Password: {password}")


def populate(*, user: User, seed: int, now: dt.datetime | None = None) -> int:
    """Log about six months of moments for ``user``; the same seed gives the same journal."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
    now = now or timezone.now()
    tz = user.tz
    own_need, _ = vocabulary_entry_add(owner=user, kind="needs", label="being seen by my partner")
    themes = {spec["theme"]: theme_create(actor=user, name=spec["theme"]) for spec in ACTIVATIONS}
    count = 0
    start = timezone.localtime(now, tz).date() - dt.timedelta(days=DAYS)
    for offset in range(DAYS):
        day = start + dt.timedelta(days=offset)
        for _n in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
            if rng.random() < 0.3:
                cue, felt = rng.choice(GLIMMERS)
                hour = rng.randint(7, 22)
                fields: dict[str, Any] = {
                    "kind": "glimmer",
                    "cue": cue,
                    "states": ["connected"],
                    "intensity": rng.randint(3, 8),
                    "body": [{"region": "chest", "sensations": felt, "intensity": None}],
                    "contexts": [rng.choice(["together", "at_home", "messages"])],
                }
                theme_name = None
            else:
                spec = rng.choice(ACTIVATIONS)
                hour = rng.randint(*spec["hours"])
                intensity = rng.randint(3, 9)
                helped, (low, high) = rng.choice(HELPS)
                region, sensations = rng.choice(spec["body"])
                needs = rng.sample(spec["needs"], k=rng.randint(1, len(spec["needs"])))
                if rng.random() < 0.15:
                    needs.append(own_need.code)
                fields = {
                    "kind": "activation",
                    "cue": rng.choice(spec["cues"]),
                    "states": rng.choice(spec["states"]),
                    "intensity": intensity,
                    "body": [
                        {
                            "region": region,
                            "sensations": sensations,
                            "intensity": max(0, intensity - 1),
                        }
                    ],
                    "needs": needs,
                    "contexts": rng.sample(spec["contexts"], k=rng.randint(1, 2)),
                    "urge": rng.choice(["Check their phone", "Ask who it was", "Go silent"]),
                    "helped": helped,
                    "intensity_after": max(0, min(10, intensity - rng.randint(low, high))),
                    "minutes_to_settle": rng.choice([5, 10, 15, 20, 30, 45, 60, 90]),
                }
                theme_name = spec["theme"]
            local = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), tzinfo=tz)
            if local > now:
                continue
            fields["occurred_at"] = local
            # A fixed key per (seed, day, slot): running the fill twice stores nothing twice.
            key = f"demo:{seed}:{day.isoformat()}:{_n}"
            moment, created = moment_log(author=user, idempotency_key=key, **fields)
            if created and theme_name is not None:
                moment_file(actor=user, moment=moment, theme=themes[theme_name])
            count += created
    return count
