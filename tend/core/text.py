"""Checks on short text a person types, shared by forms, schemas and services."""

from __future__ import annotations

import unicodedata

# Line breaks and tabs are ordinary writing; other control characters are never typed by hand
# (and PostgreSQL refuses NUL in text outright).
ALLOWED_CONTROL = frozenset({"\n", "\t"})


def has_control_characters(value: str, *, allow_line_breaks: bool = True) -> bool:
    allowed = ALLOWED_CONTROL if allow_line_breaks else frozenset()
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)
