"""Suggest a theme for a new cue, from the person's own earlier cues, and say why.

Approach
--------
Every cue the person wrote is a document. A document becomes a vector of character n-grams
(3 to 5 characters, taken inside each word padded with a space at either end, like
scikit-learn's ``char_wb``), weighted by TF-IDF: ``(1 + ln tf) * (ln((1 + N) / (1 + df)) + 1)``
over the person's own cues, so that what they write all the time ("partner", "home") counts
for little and what sets a moment apart counts for much. Each theme is the normalised mean of
its moments' vectors (its centroid); the new cue's score for a theme is the cosine between the
two. Themes scoring at least ``THRESHOLD`` are suggested, best first, with the words the cue
shares with the theme's moments ("shares the words “phone”, “dinner” with 4 moments in
this theme"), so a person can see why and judge for themselves.

Character n-grams catch "phone" in "phones" and "phone's" without a stemmer for each of the
four languages, and tolerate typos typed in a hurry. Everything is plain Python: a person has
hundreds, at most a few thousand, cues, and the arithmetic over them is small.

Privacy
-------
Only the viewer's own moments are read, by author, and never through ``moments_of`` (which will
one day include moments shared with the viewer): nothing anybody else wrote can influence a
suggestion. The cues are decrypted in the person's own request and nothing is stored: no model,
no cache, no index on disk. Nothing leaves the server.

Limits
------
* It matches spelling, not meaning: "phone at dinner" does not suggest itself for "he was
  texting while we ate". Synonyms, paraphrases and other languages than the theme's cues go
  unnoticed.
* A theme needs earlier cues to be recognised; a theme with one short cue is recognised only by
  near-identical words. Archived themes and moments without a cue play no part.
* Only the cue is compared (not the story, states or body), because the cue is what is written
  first, when a suggestion helps.
* Very short cues (fewer than ``MIN_CHARS`` letters) get no suggestion: too little to go on.
* The most recent ``MAX_DOCUMENTS`` cues are read; older ones are left out to bound the work.
* The threshold is a judgement, tuned on hand-written examples, not learned.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.journal.models import Moment, Theme

if TYPE_CHECKING:
    from tend.accounts.models import User

NGRAM_SIZES = (3, 4, 5)
THRESHOLD = 0.25
MAX_SUGGESTIONS = 2
MAX_DOCUMENTS = 2000
MIN_CHARS = 3
MAX_WORDS_SHOWN = 3

# Words too common to set a cue apart, or to be worth showing as the reason for a suggestion.
# Kept short on purpose: IDF already weighs down what a person writes everywhere.
_STOP_WORDS = """
    a an and are as at be been but by did do does for from had has have he her him his how i if
    in into is it its me my no not of on or our she so that the their them then there they this
    to too was we were what when where which while who why will with you your again just very
    der die das und ist nicht ein eine zu mit den dem ich er sie es wir ihr im am
    le la les un une et est pas de des du en au il elle je nous vous mon ma mes
    el los las y es no un una en con por para que se yo mi
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_WORD = re.compile(r"[^\W_]+")

Vector = dict[str, float]


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, without stop words and one-letter words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # An apostrophe inside a word ("partner's") joins it rather than splitting off an "s".
    text = text.replace("'", "").replace("\u2019", "")
    return [w for w in _WORD.findall(text) if len(w) > 1 and w not in STOP_WORDS]


def ngrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in words(text):
        padded = f" {word} "
        for n in NGRAM_SIZES:
            grams.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def _weigh(grams: Counter[str], idf: dict[str, float], default_idf: float) -> Vector:
    vector = {g: (1 + math.log(tf)) * idf.get(g, default_idf) for g, tf in grams.items()}
    return _normalised(vector)


def _normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {g: v / norm for g, v in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two normalised vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


@dataclass(frozen=True)
class Suggestion:
    theme: Theme
    score: float
    shared_words: tuple[str, ...]
    moment_count: int = field(default=0)

    @property
    def explanation(self) -> str:
        """Why, in a sentence the person can check against their own words."""
        if self.shared_words:
            quoted = ", ".join(f"“{w}”" for w in self.shared_words)
            return ngettext(
                "Shares the words %(words)s with %(n)s moment in this theme.",
                "Shares the words %(words)s with %(n)s moments in this theme.",
                self.moment_count,
            ) % {"words": quoted, "n": self.moment_count}
        return _("Written much like the moments in this theme.")


@dataclass
class _Document:
    theme_id: uuid.UUID | None
    words: set[str]
    grams: Counter[str]


def _similar_word(word: str, vocabulary: set[str]) -> bool:
    """The word itself, or a close form of it ("phone" and "phones", "date" and "dates")."""
    if word in vocabulary:
        return True
    if len(word) < 4:
        return False
    return any(
        len(other) >= 4
        and (other.startswith(word) or word.startswith(other))
        and abs(len(other) - len(word)) <= 3
        for other in vocabulary
    )


def suggest_themes(
    *,
    viewer: User,
    cue: str,
    exclude_moment: uuid.UUID | None = None,
    limit: int = MAX_SUGGESTIONS,
) -> list[Suggestion]:
    """The viewer's themes whose earlier cues resemble ``cue``, best first (maybe none)."""
    if not viewer.is_authenticated or not isinstance(cue, str):
        return []
    query_grams = ngrams(cue)
    query_words = words(cue)
    if sum(len(w) for w in query_words) < MIN_CHARS:
        return []
    themes = {
        t.id: t
        for t in Theme.objects.filter(owner=viewer, archived=False).select_related(
            "owner__data_key"
        )
    }
    if not themes:
        return []
    # By author, deliberately not through moments_of: see "Privacy" above.
    rows = (
        Moment.objects.filter(author=viewer, deleted_at__isnull=True)
        .exclude(cue="")
        .select_related("author__data_key")
        .order_by("-occurred_at", "-id")
    )
    if exclude_moment is not None:
        rows = rows.exclude(id=exclude_moment)
    documents = [
        _Document(
            theme_id=m.theme_id if m.theme_id in themes else None,
            words=set(words(m.cue)),
            grams=ngrams(m.cue),
        )
        for m in rows[:MAX_DOCUMENTS]
    ]
    if not any(d.theme_id for d in documents):
        return []

    # Document frequencies over all of the person's cues, filed or not.
    df: Counter[str] = Counter()
    for document in documents:
        df.update(document.grams.keys())
    total = len(documents)
    idf = {g: math.log((1 + total) / (1 + n)) + 1 for g, n in df.items()}
    unseen_idf = math.log(1 + total) + 1

    query = _weigh(query_grams, idf, unseen_idf)
    sums: dict[uuid.UUID, Vector] = defaultdict(dict)
    members: dict[uuid.UUID, list[_Document]] = defaultdict(list)
    for document in documents:
        if document.theme_id is None:
            continue
        members[document.theme_id].append(document)
        total_vector = sums[document.theme_id]
        for g, v in _weigh(document.grams, idf, unseen_idf).items():
            total_vector[g] = total_vector.get(g, 0.0) + v

    # Rarer words first: they say more about why.
    word_df: Counter[str] = Counter()
    for document in documents:
        word_df.update(document.words)
    ranked_words = sorted(
        dict.fromkeys(query_words), key=lambda w: (word_df.get(w, 0) == 0, word_df.get(w, 0))
    )

    suggestions = []
    for theme_id, vector in sums.items():
        score = cosine(query, _normalised(vector))
        if score < THRESHOLD:
            continue
        theme_words = set().union(*(d.words for d in members[theme_id]))
        shared = [w for w in ranked_words if _similar_word(w, theme_words)][:MAX_WORDS_SHOWN]
        count = sum(1 for d in members[theme_id] if any(_similar_word(w, d.words) for w in shared))
        suggestions.append(
            Suggestion(
                theme=themes[theme_id],
                score=round(score, 3),
                shared_words=tuple(shared),
                moment_count=count,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.theme.created_at))
    return suggestions[:limit]
