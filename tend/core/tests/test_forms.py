"""The shared form fields give a service exactly what the post held."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from tend.core.forms import Posted, PostedList, Ticked


class Example(forms.Form):
    text = Posted()
    maybe = Posted(absent=None)
    tick = Ticked()
    many = PostedList()


def _cleaned(query: str) -> dict[str, object]:
    form = Example(QueryDict(query))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_an_absent_value_is_the_default_and_an_empty_one_stays_empty() -> None:
    assert _cleaned("") == {"text": "", "maybe": None, "tick": False, "many": []}
    assert _cleaned("text=&maybe=")["maybe"] == ""


def test_values_are_kept_as_sent_for_the_service_to_judge() -> None:
    found = _cleaned("text=%20two%20words%20&maybe=a%00b&many=b&many=a&many=b")
    assert found["text"] == " two words "
    assert found["maybe"] == "a\x00b"
    assert found["many"] == ["b", "a", "b"]


def test_a_checkbox_is_ticked_only_as_a_browser_sends_it() -> None:
    assert _cleaned("tick=on")["tick"] is True
    for sent in ("tick=", "tick=yes", "tick=true", "tick=1"):
        assert _cleaned(sent)["tick"] is False
