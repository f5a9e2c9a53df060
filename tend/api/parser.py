"""The API's request parser: text no database can store is refused as soon as it is read.

JSON's ``"\\ud800"`` escape makes a lone surrogate, which UTF-8 cannot encode, and ``"\\u0000"``
makes a NUL, which PostgreSQL refuses in text. Either would otherwise travel through a schema
(a ``str`` is a ``str``) and fail deep inside a service, an encryption or a query as a 500.
Checking every string of every body and query string here covers each endpoint, those to
come included, with one 422 that says where the character is.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

from tend.core.text import unstorable_places

UNSTORABLE = "unstorable_text"


class TendParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if _may_hold_unstorable(request.body):
            _refuse_unstorable(data, ("body",))
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        where = "query" if data is request.GET else "form"
        # Uploaded files are bytes, read and checked by the endpoint that takes them.
        _refuse_unstorable({k: v for k, v in result.items() if _is_text(v)}, (where,))
        return result


def _may_hold_unstorable(body: bytes) -> bool:
    """Whether a JSON body can hold a NUL or a lone surrogate once parsed; False is certain.

    In UTF-8 JSON (no NUL byte, which UTF-16 and UTF-32 bodies always have) both can only come
    from a ``\\u`` escape, or from the bytes of a UTF-8-encoded surrogate, which all start with
    0xED (Python's parser lets them through). A body with neither, most of them, needs no walk
    through every string it holds.
    """
    return b"\\u" in body or b"\xed" in body or b"\x00" in body


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _refuse_unstorable(data: Any, where: tuple[str | int, ...]) -> None:
    places = unstorable_places(data, where)
    if places:
        raise ValidationError(
            [{"loc": loc, "type": UNSTORABLE, "msg": "unstorable text"} for loc in places]
        )
