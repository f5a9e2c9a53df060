from __future__ import annotations

import uuid
from typing import Any

import pytest

from tend.core.audit import AuditMetaError, record
from tend.core.models import AuditEvent


def test_it_keeps_ids_codes_numbers_and_lists_of_them(alice: Any) -> None:
    some_id = uuid.uuid4()
    record(
        actor=alice,
        action="test.thing",
        meta={"id": some_id, "code": "a.b-c", "n": 3, "fields": ["cue", "intensity", some_id]},
    )
    event = AuditEvent.objects.get(action="test.thing")
    assert event.meta == {
        "id": str(some_id),
        "code": "a.b-c",
        "n": 3,
        "fields": ["cue", "intensity", str(some_id)],
    }


@pytest.mark.parametrize(
    "meta",
    [
        {"cue": "my partner's phone at dinner"},
        {"fields": ["cue", "my partner's phone"]},
        {"nested": {"a": 1}},
        {"fields": ["x"] * 101},
    ],
)
def test_it_refuses_words_anywhere_in_meta(alice: Any, meta: dict[str, Any]) -> None:
    with pytest.raises(AuditMetaError):
        record(actor=alice, action="test.thing", meta=meta)
    assert not AuditEvent.objects.filter(action="test.thing").exists()
