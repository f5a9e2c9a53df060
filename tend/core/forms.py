"""Form pieces shared by the apps' pages: posts read as they were sent, for services to judge.

For pages whose rules live in their services (which say what to fix in the domain's words), a
form only reads the post: each view is then parse, call, answer, and what a page reads is
written in one place. These fields give exactly what ``request.POST.get`` gave before.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator


class Posted(forms.CharField):
    """A posted value as it was sent: ``absent`` (default "") when the post has none.

    Not required, not stripped, and without Django's own refusal of NUL characters, so that the
    service sees exactly what ``request.POST.get(name, absent)`` gives.
    """

    def __init__(self, *, absent: str | None = "", **kwargs: Any) -> None:
        self.absent = absent
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value: Any) -> str | None:
        return self.absent if value is None else str(value)


class Ticked(Posted):
    """A checkbox: ticked only when it was sent as "on", as browsers send a ticked one."""

    def to_python(self, value: Any) -> bool:  # type: ignore[override]
        return value == "on"


class PostedList(forms.Field):
    """Every value posted under one name, in order (``request.POST.getlist``), for a selector or
    service to judge."""

    widget = forms.SelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        return list(value or [])


def posted_form(name: str, **fields: forms.Field) -> type[forms.Form]:
    """A form that only reads ``fields`` from a post, named ``name`` (for a page whose rules are
    all its service's)."""
    return type(name, (forms.Form,), dict(fields))
