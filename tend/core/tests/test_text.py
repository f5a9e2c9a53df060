from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tend.core.text import has_control_characters


def _by_category(value: str, *, allow_line_breaks: bool) -> bool:
    allowed = {"\n", "\t"} if allow_line_breaks else set()
    # Control characters (Cc) and lone surrogates (Cs: in a str, any surrogate is a lone one).
    return any(unicodedata.category(c) in {"Cc", "Cs"} and c not in allowed for c in value)


# hypothesis leaves surrogates out of text() unless asked; ask, so that they are tried too.
@given(st.text(st.characters(codec=None, exclude_categories=())), st.booleans())
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


def test_a_lone_surrogate_counts_as_a_control_character_but_an_emoji_does_not() -> None:
    from tend.core.text import has_control_characters

    assert has_control_characters("half of a pair \ud83d")
    assert has_control_characters("\udc00", allow_line_breaks=False)
    assert not has_control_characters("a whole one 😀\n")


def test_unstorable_text_is_found_wherever_it_is_in_parsed_json() -> None:
    from tend.core.text import is_storable, unstorable_places

    assert not is_storable("a\x00b") and not is_storable("\ud800") and is_storable("é😀\t")
    data = {"ok": "fine", "moments": [{"cue": "x\x00"}, {"tags": ["a", "\udfff"]}], "\x00": 1}
    assert unstorable_places(data) == [("moments", 0, "cue"), ("moments", 1, "tags", 1), ()]
