"""The fields a moment is made of, named once.

The model and its earlier versions (``models.MomentContent``), the history, the validation, the
export and import (``transfer``) and the offline capture script (``static/journal/offline.js``,
through the ``data-fields`` attribute ``templatetags/offline.py`` writes) all read these names.
Plain names only, so that anything may import this module before the apps are loaded.
"""

from __future__ import annotations

# What the person wrote, encrypted at rest.
TEXT_FIELDS: tuple[str, ...] = ("cue", "story", "part", "urge", "action", "helped", "notes")
# Lists of vocabulary codes, each checked against the vocabulary of the same name.
CODE_LIST_FIELDS: tuple[str, ...] = ("states", "needs", "contexts")
# 0 to 10.
SCALE_FIELDS: tuple[str, ...] = ("intensity", "intensity_after")
NUMBER_FIELDS: tuple[str, ...] = (*SCALE_FIELDS, "minutes_to_settle")
# Every field, in the order of a CSV export's columns.
MOMENT_FIELDS: tuple[str, ...] = (
    "kind",
    "occurred_at",
    *TEXT_FIELDS,
    "states",
    "intensity",
    "body",
    "needs",
    "contexts",
    "intensity_after",
    "minutes_to_settle",
)
# The fields besides the words: queryable, for the insights.
STRUCTURED_FIELDS: tuple[str, ...] = tuple(f for f in MOMENT_FIELDS if f not in TEXT_FIELDS)


def for_the_browser() -> dict[str, list[str]]:
    """How the offline capture script reads a capture form into the API's fields.

    Besides a moment's own lists, ``people`` (ids of the author's people) is a list the API
    takes; ``kind``, ``occurred_at``, ``body`` and ``theme`` the script reads one by one.
    """
    return {
        "text": list(TEXT_FIELDS),
        "lists": [*CODE_LIST_FIELDS, "people"],
        "numbers": list(NUMBER_FIELDS),
    }
