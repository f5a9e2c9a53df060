"""The shared field types of request and response bodies."""

from __future__ import annotations

import datetime as dt

from tend.api.schemas import LocalTime, Schema


class _Quiet(Schema):
    start: LocalTime


def test_a_local_time_is_a_time_in_python_and_text_only_in_json() -> None:
    body = _Quiet.model_validate({"start": "19:00"})
    assert body.model_dump() == {"start": dt.time(19, 0)}
    assert body.model_dump(mode="json") == {"start": "19:00:00"}
    assert body.model_dump_json() == '{"start":"19:00:00"}'


def test_every_request_schema_takes_numbers_booleans_and_dates_strictly() -> None:
    """A subclass of Schema gets strict fields by itself; this says if one ever does not."""
    from tend.api.schemas import Schema, _strict

    def subclasses(cls: type) -> list[type]:
        return [sub for child in cls.__subclasses__() for sub in (child, *subclasses(child))]

    lax = [
        f"{cls.__qualname__}.{name}"
        for cls in subclasses(Schema)
        if cls.__module__.startswith("tend.")
        for name, field in cls.model_fields.items()  # type: ignore[attr-defined]
        if _strict(field.annotation) != field.annotation
    ]
    assert lax == []
    assert any("intensity" in cls.model_fields for cls in subclasses(Schema))  # type: ignore[attr-defined]
