"""Checks on short text a person types, shared by forms, schemas and services."""

from __future__ import annotations

import re

# Line breaks and tabs are ordinary writing; other control characters are never typed by hand
# (and PostgreSQL refuses NUL in text outright). Unicode's control characters (category Cc)
# are exactly U+0000 to U+001F and U+007F to U+009F, so one character class finds them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_BREAKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def has_control_characters(value: str, *, allow_line_breaks: bool = True) -> bool:
    pattern = _CONTROL_BUT_BREAKS if allow_line_breaks else _CONTROL
    return pattern.search(value) is not None
