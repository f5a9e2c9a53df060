"""The one pagination convention of the API: cursors.

A list answers ``{"items": [...], "next_cursor": "…" | null}``; the client passes
``?cursor=<next_cursor>&limit=<n>`` for the next page. A cursor is opaque base64 holding the
last item's sort key and id, so pages stay stable while rows are added or removed (no offsets
that skip or repeat rows).

Use it in a handler::

    @router.get("/things", response=Page[ThingOut])
    def things(request, page: Query[PageParams]):
        return paginate(things_of(user=request.auth), page=page, key="created_at")
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext
from ninja import Schema as NinjaSchema
from ninja.errors import ValidationError
from pydantic import Field

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

M = TypeVar("M", bound=Model)


class PageParams(NinjaSchema):
    # Not the forbidding base: query strings routinely carry other parameters.
    cursor: str | None = Field(
        default=None, max_length=512, description="next_cursor from the previous page."
    )
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def encode_cursor(sort_value: Any, pk: Any) -> str:
    if isinstance(sort_value, datetime):
        sort_value = sort_value.isoformat()
    raw = json.dumps([sort_value, str(pk)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid_cursor() -> ValidationError:
    return ValidationError(
        [
            {
                "loc": ("query", "cursor"),
                "type": "cursor",
                "msg": gettext("This cursor is not valid. Start again without a cursor."),
            }
        ]
    )


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort_value, pk = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise _invalid_cursor() from exc
    if not isinstance(pk, str) or not isinstance(sort_value, str | int | float):
        raise _invalid_cursor()
    return sort_value, pk


# The widest integer both databases store (a 64-bit signed integer).
_INT_RANGE = range(-(2**63), 2**63)


def _storable(value: Any) -> bool:
    """Whether the database can compare a column with ``value`` (a cursor is client input).

    Our own cursors always hold an aware time; one near year 1 or 9999 with an offset has no
    UTC equivalent, and an integer past 64 bits overflows SQLite and PostgreSQL alike.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return False
        try:
            value.astimezone(UTC)
        except OverflowError:
            return False
    return not (isinstance(value, int) and value not in _INT_RANGE)


def paginate(
    queryset: QuerySet[M], *, page: PageParams, key: str = "created_at", descending: bool = True
) -> dict[str, Any]:
    """One page of ``queryset`` ordered by (``key``, pk), newest first unless ``descending=False``.

    ``key`` should be a field that does not change after the row is created.
    """
    pk_name = queryset.model._meta.pk.name  # type: ignore[union-attr]
    direction = "-" if descending else ""
    queryset = queryset.order_by(f"{direction}{key}", f"{direction}{pk_name}")
    if page.cursor:
        sort_value, pk = decode_cursor(page.cursor)
        field = queryset.model._meta.get_field(key)
        try:
            sort_value = field.to_python(sort_value)  # type: ignore[union-attr]
            pk = queryset.model._meta.pk.to_python(pk)  # type: ignore[union-attr]
        except Exception as exc:  # any field's own parsing error
            raise _invalid_cursor() from exc
        if isinstance(pk, uuid.UUID | str | int) is False or not _storable(sort_value):
            raise _invalid_cursor()
        op = "lt" if descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{key}__{op}": sort_value}) | Q(**{key: sort_value, f"{pk_name}__{op}": pk})
        )
    rows = list(queryset[: page.limit + 1])
    items = rows[: page.limit]
    next_cursor = None
    if len(rows) > page.limit:
        last = items[-1]
        next_cursor = encode_cursor(getattr(last, key), last.pk)
    return {"items": items, "next_cursor": next_cursor}
