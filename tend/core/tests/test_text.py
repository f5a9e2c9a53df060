from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tend.core.text import has_control_characters


def _by_category(value: str, *, allow_line_breaks: bool) -> bool:
    allowed = {"\n", "\t"} if allow_line_breaks else set()
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


@given(st.text(), st.booleans())
def test_it_finds_exactly_unicodes_control_characters(value: str, allow: bool) -> None:
    assert has_control_characters(value, allow_line_breaks=allow) == _by_category(
        value, allow_line_breaks=allow
    )


def test_it_allows_line_breaks_and_tabs_only_when_asked() -> None:
    assert not has_control_characters("two\nlines\tand a tab")
    assert has_control_characters("two\nlines", allow_line_breaks=False)
    assert has_control_characters("carriage\rreturn")
    assert has_control_characters("nul\x00")
    assert has_control_characters("c1\x85")
    assert not has_control_characters("Zoë, 🌱, \u2018quotes\u2019 and a zero\u200bwidth space")
