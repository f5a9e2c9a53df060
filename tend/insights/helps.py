"""What helps: the person's own "what helped" words and their practices, ranked by median drop.

The drop is ``intensity - intensity_after`` (a positive number: calmer afterwards). Words are
encrypted, so they are decrypted here, for the owner, from at most ``limit`` recent moments of
the period, and grouped case-insensitively ("Five slow breaths" and "five slow breaths " are one
thing); the label shown is the spelling used most often. Urges, actions and glimmer cues come
from the same bounded scan.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import Count as SqlCount
from django.db.models import F
from django.db.models.functions import Length

from tend.core import vault
from tend.core.fields import EncryptedTextField
from tend.insights.maps import Count, Help
from tend.journal.models import Moment
from tend.practices import catalogue
from tend.practices.models import CustomPractice, PracticeSession

if TYPE_CHECKING:
    from tend.accounts.models import User


@dataclass
class Texts:
    helped: list[Help]
    urges: list[Count]
    actions: list[Count]
    glimmer_cues: list[Count]
    scanned: int
    limited: bool


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Grouper:
    """Counts words case-insensitively and remembers the most used spelling of each."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, text: str) -> str | None:
        key = _key(text)
        if not key:
            return None
        self.counts[key] += 1
        self.spellings[key][" ".join(text.split())] += 1
        return key

    def label(self, key: str) -> str:
        return self.spellings[key].most_common(1)[0][0]

    def recurring(self, *, at_least: int = 2, limit: int = 8) -> list[Count]:
        ranked = sorted(self.counts.items(), key=lambda i: (-i[1], i[0]))
        return [Count(key, self.label(key), n) for key, n in ranked if n >= at_least][:limit]


def scan_texts(*, owner: User, start: dt.datetime, end: dt.datetime, limit: int) -> Texts:
    query = (
        Moment.objects.filter(
            author=owner, occurred_at__gte=start, occurred_at__lt=end, deleted_at__isnull=True
        )
        # Only moments with words worth reading; the empty string is the one text we can filter.
        # As a sum of lengths rather than four "<> ''": the planner guesses a third of the rows
        # pass, which is near the truth, and reads the newest moments through the (author,
        # occurred_at) index, stopping at the limit. The four comparisons are guessed far too
        # selective, and PostgreSQL then reads and sorts the whole period (20 ms at 20k).
        .alias(words=Length("helped") + Length("urge") + Length("action") + Length("cue"))
        .filter(words__gt=0)
        .order_by("-occurred_at", "-id")
        .values_list(*_SCANNED)[: limit + 1]
    ).query
    # The raw rows, without the fields' converters: four sealed values and a parsed list per
    # row were most of the scan's time, and most of them are never read.
    using = Moment.objects.db
    sql, params = query.get_compiler(using=using).as_sql()
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    limited = len(rows) > limit
    rows = rows[:limit]
    read = _reader(owner)
    helped, urges, actions, cues = _Grouper(), _Grouper(), _Grouper(), _Grouper()
    helps: dict[str, Help] = {}
    for pk, kind, helped_text, urge, action, cue, states, intensity, after in rows:
        if kind == Moment.Kind.GLIMMER:
            cues.add(read(pk, "cue", cue))
            continue
        urges.add(read(pk, "urge", urge))
        actions.add(read(pk, "action", action))
        if intensity is None or after is None:
            continue
        key = helped.add(read(pk, "helped", helped_text))
        if key is None:
            continue
        found = helps.setdefault(key, Help(key=key, label="", source="journal"))
        value = float(intensity - after)
        found.drops[value] += 1
        for state in (json.loads(states) if isinstance(states, str | bytes) else states) or ():
            found.states.add(state)
            found.by_state.setdefault(state, Counter())[value] += 1
    for key, found in helps.items():
        found.label = helped.label(key)
    return Texts(
        helped=list(helps.values()),
        urges=urges.recurring(),
        actions=actions.recurring(),
        glimmer_cues=cues.recurring(at_least=1),
        scanned=len(rows),
        limited=limited,
    )


_SCANNED = (
    "id",
    "kind",
    "helped",
    "urge",
    "action",
    "cue",
    "states",
    "intensity",
    "intensity_after",
)


def _reader(owner: User) -> Callable[[object, str, object], str]:
    """Decrypts one of the owner's moment fields from its stored bytes, without a model instance.

    Building a thousand model instances (and their owners and keys) to read three words from
    each costs more than the decryption itself; the row id and column are all the vault needs
    to check that each ciphertext belongs exactly where it was read from.
    """
    keys: list[bytes] = []  # fetched on the first word: someone who wrote nothing has no key
    fields: dict[str, EncryptedTextField] = {}
    for name in ("cue", "helped", "urge", "action"):
        field = Moment._meta.get_field(name)
        assert isinstance(field, EncryptedTextField)
        fields[name] = field

    def read(pk: object, name: str, value: object) -> str:
        if not value:
            return ""
        if not isinstance(value, bytes | bytearray | memoryview):
            raise vault.VaultError(
                f"{Moment._meta.db_table}.{fields[name].column} holds no ciphertext."
            )
        if not keys:
            keys.append(vault.data_key(owner.pk))
        # The context names the row by its id as the model has it (SQLite stores it as hex).
        row = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
        # The field's own context, so the scan reads exactly what the field wrote.
        context = fields[name]._context(row)
        return vault.decrypt(bytes(value), key=keys[0], context=context)

    return read


def practice_helps(*, owner: User, start: dt.datetime, end: dt.datetime) -> list[Help]:
    """Practice sessions with an intensity before and after, counted per practice in SQL.

    Labelled from the catalogue; one's own practices by their (decrypted) names.
    """
    rows = (
        PracticeSession.objects.filter(
            author=owner,
            started_at__gte=start,
            started_at__lt=end,
            intensity_before__isnull=False,
            intensity_after__isnull=False,
        )
        .annotate(points=F("intensity_before") - F("intensity_after"))
        .values_list("practice_code", "custom_practice_id", "state", "points")
        .annotate(n=SqlCount("id"))
        .order_by()
    )
    helps: dict[str, Help] = {}
    customs: set[object] = set()
    for code, custom_id, state, drop, n in rows:
        key = f"custom:{custom_id}" if custom_id else f"practice:{code}"
        found = helps.setdefault(
            key, Help(key=key, label="", source="practice", own=bool(custom_id))
        )
        found.drops[float(drop)] += n
        if state:
            found.states.add(state)
            found.by_state.setdefault(state, Counter())[float(drop)] += n
        if custom_id:
            customs.add(custom_id)
    names = {
        f"custom:{p.id}": p.name
        for p in CustomPractice.objects.filter(author=owner, id__in=customs).select_related(
            "author__data_key"
        )
    }
    for key, found in helps.items():
        found.label = names.get(key) or catalogue.title(key.split(":", 1)[1])
    return list(helps.values())


def rank(helps: list[Help]) -> list[Help]:
    """Enough data first, by median drop (larger first), then n; "too few to tell" after."""

    def order(h: Help) -> tuple[bool, float, int, str]:
        median = h.drop.median if h.enough else None
        return (not h.enough, -(median if median is not None else 0.0), -h.n, h.label.casefold())

    return sorted(helps, key=order)
