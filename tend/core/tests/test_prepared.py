"""Prepared statements store and find exactly what the ORM would, in one query each."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tend.accounts.models import User
from tend.core.audit import record
from tend.core.models import AuditEvent
from tend.core.prepared import PreparedInsert, PreparedRow


def test_an_audit_event_is_stored_as_the_orm_would_store_it(alice: User, bob: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        event = record(actor=alice, action="share.viewed", target=bob, subject=bob, meta={"n": 2})
    assert len(queries) == 1 and "INSERT" in queries[0]["sql"]
    by_orm = AuditEvent.objects.create(
        actor=alice,
        subject=bob,
        action="share.viewed",
        target_type="accounts.user",
        target_id=str(bob.pk),
        meta={"n": 2},
    )
    fields = ["actor_id", "subject_id", "action", "target_type", "target_id", "meta"]
    stored = AuditEvent.objects.values(*fields).get(id=event.id)
    assert stored == AuditEvent.objects.values(*fields).get(id=by_orm.id)
    loaded = AuditEvent.objects.get(id=event.id)
    assert loaded.at == event.at and timezone.is_aware(loaded.at)
    assert not event._state.adding and isinstance(event.id, uuid.UUID)


def test_an_audit_event_belongs_to_the_transaction_it_was_recorded_in(alice: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=alice, action="account.deleted")
        raise RuntimeError
    assert not AuditEvent.objects.filter(action="account.deleted").exists()


def test_a_row_query_must_name_its_value_once(alice: User) -> None:
    twice = PreparedRow(lambda v: User.objects.filter(email=v, display_name=v)[:1])
    with pytest.raises(ValueError, match="exactly once"):
        twice.get("x")


def test_the_audit_insert_sends_one_parameter_per_column(db: object) -> None:
    prepared = PreparedInsert(AuditEvent)
    assert prepared._compile("default").sql.count("%s") == len(
        AuditEvent._meta.local_concrete_fields
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side statements")
def test_on_postgresql_the_token_look_up_is_a_server_side_prepared_statement(alice: User) -> None:
    from tend.api.selectors import token_active_for_secret
    from tend.api.services import token_create

    _, secret = token_create(user=alice, name="Phone", scope="write")
    assert token_active_for_secret(plaintext=secret) is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"api_apitoken"."hashed" = $1' in s for s in statements), statements
