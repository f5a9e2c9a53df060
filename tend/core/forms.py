"""Form pieces shared by the apps' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator


class Posted(forms.CharField):
    """A posted value as it was sent ("" when absent), for a service to judge.

    For pages whose rules live in their services (which say what to fix in the domain's words):
    not required, not stripped, and without Django's own refusal of NUL characters, so that the
    service sees exactly what ``request.POST.get(name, "")`` gave it before these pages had forms.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class PostedList(forms.Field):
    """Every value posted under one name, in order (``request.POST.getlist``), for a selector or
    service to judge."""

    widget = forms.SelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        return list(value or [])
