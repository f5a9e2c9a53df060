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


def test_a_logged_moment_is_stored_as_saving_it_would_store_it(alice: User) -> None:
    from tend.insights.models import MonthRevision
    from tend.journal.models import Moment
    from tend.journal.services import moment_log

    fields = {
        "kind": "activation",
        "cue": "A message at dinner",
        "story": "",
        "notes": "Talked it through",
        "states": ["freeze"],
        "intensity": 6,
        "body": [{"region": "chest", "sensations": ["tight"], "intensity": 5}],
        "needs": ["reassurance"],
    }
    logged, created = moment_log(author=alice, idempotency_key="k-1", **fields)
    # The post_save receiver ran in the capture: the moment's months have a revision.
    assert MonthRevision.objects.filter(owner_id=alice.pk).exists()
    by_save = Moment(author=alice, **fields)
    by_save.save()
    assert created and not logged._state.adding
    columns = [
        f.attname
        for f in Moment._meta.local_concrete_fields
        if f.attname
        not in {"id", "idempotency_key", "request_hash", "occurred_at", "created_at", "updated_at"}
    ]
    stored, saved = (Moment.objects.get(pk=pk) for pk in (logged.pk, by_save.pk))
    assert {c: getattr(stored, c) for c in columns} == {c: getattr(saved, c) for c in columns}
    assert stored.cue == "A message at dinner" and stored.story == ""
    assert stored.idempotency_key == "k-1" and len(stored.request_hash) == 64
    assert timezone.is_aware(stored.created_at)


def test_a_prepared_insert_with_signals_sends_them_as_save_does(alice: User) -> None:
    from django.db.models.signals import post_save, pre_save

    from tend.journal.models import Moment

    heard: list[tuple[str, dict[str, object]]] = []

    def listen(name: str):  # type: ignore[no-untyped-def]
        def receiver(sender: type, instance: Moment, **kwargs: object) -> None:
            heard.append((name, {"adding": instance._state.adding, **kwargs}))

        return receiver

    before, after = listen("pre"), listen("post")
    pre_save.connect(before, sender=Moment)
    post_save.connect(after, sender=Moment)
    try:
        PreparedInsert(Moment, signals=True).insert(Moment(author=alice, cue="x"))
    finally:
        pre_save.disconnect(before, sender=Moment)
        post_save.disconnect(after, sender=Moment)
    assert [(name, kwargs["adding"]) for name, kwargs in heard] == [("pre", True), ("post", False)]
    assert heard[1][1]["created"] is True and heard[1][1]["update_fields"] is None
    assert heard[1][1]["raw"] is False and heard[0][1]["raw"] is False


def test_a_retried_key_still_answers_the_first_moment(alice: User) -> None:
    from tend.journal.services import moment_log

    first, created = moment_log(author=alice, idempotency_key="same", cue="one", states=[])
    again, created_again = moment_log(author=alice, idempotency_key="same", cue="one", states=[])
    assert created and not created_again and again.pk == first.pk


def _event(actor: User, action: str, id: uuid.UUID | None = None) -> AuditEvent:
    return AuditEvent(id=id or uuid.uuid4(), actor=actor, subject=actor, action=action)


_events = PreparedInsert(AuditEvent)


def test_statements_run_together_store_every_row(alice: User) -> None:
    from tend.core.prepared import run_together

    run_together([_events.statement(_event(alice, f"test.{n}")) for n in range(3)])
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "test.0",
        "test.1",
        "test.2",
    }


@pytest.mark.django_db(transaction=True)
def test_statements_run_together_store_nothing_when_one_is_refused(alice: User) -> None:
    from django.db import IntegrityError

    from tend.core.prepared import run_together

    taken = record(actor=alice, action="test.first").id
    with pytest.raises(IntegrityError):
        run_together(
            [
                _events.statement(_event(alice, "test.fresh")),
                _events.statement(_event(alice, "test.clash", id=taken)),
            ]
        )
    assert not AuditEvent.objects.filter(action__in=["test.fresh", "test.clash"]).exists()


def test_a_refusal_inside_a_transaction_leaves_that_transaction_usable(alice: User) -> None:
    from django.db import IntegrityError

    from tend.core.prepared import run_together

    taken = record(actor=alice, action="test.first").id
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            run_together(
                [
                    _events.statement(_event(alice, "test.fresh")),
                    _events.statement(_event(alice, "test.clash", id=taken)),
                ]
            )
        # The caller reads on, as a retried capture does.
        assert AuditEvent.objects.filter(action="test.first").count() == 1
    assert not AuditEvent.objects.filter(action="test.fresh").exists()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_capture_is_one_statement_with_no_begin_or_commit(alice: User) -> None:
    from tend.journal.services import moment_log

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL runs the parts as one statement; SQLite one after another")
    # The first writes the person's data key; every capture after it is the common case.
    moment_log(author=alice, idempotency_key="first", cue="x", states=[])
    with CaptureQueriesContext(connection) as queries:
        moment, created = moment_log(author=alice, idempotency_key="one", cue="x", states=[])
    assert created
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["WITH"]
    # Its three rows: the moment, its month's revision and the audit event.
    assert AuditEvent.objects.filter(action="journal.moment.log", target_id=str(moment.pk))
    from tend.insights.models import MonthRevision

    assert MonthRevision.objects.filter(owner_id=alice.pk).exists()
