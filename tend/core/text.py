"""Checks on short text a person types, shared by forms, schemas and services."""

from __future__ import annotations

import re
from typing import Any

# Line breaks and tabs are ordinary writing; other control characters are never typed by hand
# (and PostgreSQL refuses NUL in text outright). Unicode's control characters (category Cc)
# are exactly U+0000 to U+001F and U+007F to U+009F, so one character class finds them.
#
# Lone surrogates (U+D800 to U+DFFF outside a pair) are refused with them: JSON's "\ud800"
# escape makes one, and no UTF-8 text (so no database, file or page) can hold it. Python
# strings keep a pair as one character, so any surrogate left in a ``str`` is a lone one.
_SURROGATES = "\ud800-\udfff"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_SURROGATES}]")
_CONTROL_BUT_BREAKS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_SURROGATES}]")
# What no text anywhere may hold, whatever field it is for: PostgreSQL refuses NUL in text,
# and UTF-8 cannot encode a lone surrogate.
_UNSTORABLE = re.compile(f"[\x00{_SURROGATES}]")


def has_control_characters(value: str, *, allow_line_breaks: bool = True) -> bool:
    """Whether ``value`` holds characters nobody types: control characters or lone surrogates."""
    pattern = _CONTROL_BUT_BREAKS if allow_line_breaks else _CONTROL
    return pattern.search(value) is not None


def is_storable(value: str) -> bool:
    """Whether ``value`` can be stored and sent as UTF-8 text: no NUL, no lone surrogate."""
    return _UNSTORABLE.search(value) is None


def unstorable_places(data: Any, where: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Where in parsed JSON (dicts, lists, strings) there is text ``is_storable`` refuses.

    Each place is the path of keys and indexes to the string; a key that is itself unstorable
    is reported at its parent, since it cannot be named.
    """
    places: list[tuple[str | int, ...]] = []
    if isinstance(data, str):
        if not is_storable(data):
            places.append(where)
    elif isinstance(data, dict):
        for key, item in data.items():
            if isinstance(key, str) and not is_storable(key):
                places.append(where)
            else:
                places.extend(unstorable_places(item, (*where, key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            places.extend(unstorable_places(item, (*where, index)))
    return places
