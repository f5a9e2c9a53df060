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
