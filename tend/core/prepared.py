"""A one-row ORM query compiled once per process, then run with a new value each time.

Building and compiling a queryset costs far more CPU than running it: for the bearer-token
look-up (three tables joined by ``select_related``) the ORM spent about 1.2 ms per request
turning the same query into the same SQL, while the database answered in a tenth of that. A
``PreparedRow`` builds its queryset once with a marker value, keeps the SQL, the converters and
Django's own row-to-instances machinery, and afterwards only swaps the marker for the value, runs
the SQL and builds the instances, exactly as ``QuerySet.__iter__`` would (``from_db``, related
instances cached, so ``token.user.data_key`` needs no query).

On PostgreSQL the statement is also prepared on the server (psycopg binds the parameters there
and keeps one named statement per connection), so the database parses and plans it once per
connection instead of on every request; Django's own cursors bind on the client and never
prepare. ``TEND_DB_PREPARED_STATEMENTS=0`` turns that off, for a pooler in transaction mode that
cannot keep prepared statements (PgBouncer before 1.21, or a later one without
``max_prepared_statements``).

The SQL goes through the connection's cursor wrapper as usual: query logging, ``execute_wrapper``
instruments and the test suite's query counters all see it. Conditions that change on every call
(the current time, say) cannot be compiled in; check them on the instance that comes back.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet, signals
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

M = TypeVar("M", bound=Model)
_preparing_cursor: type | None = None


class _Statement:
    """What Django's PostgreSQL ``last_executed_query`` reads from a cursor: ``_query.query``."""

    __slots__ = ("query",)

    def __init__(self, query: bytes) -> None:
        self.query = query


def preparing_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor whose statements PostgreSQL parses and plans once per connection.

    ``PreparedRow`` and ``PreparedInsert`` run through it, and so can a statement written out by
    hand and run on every request (the trigger map's month revisions). On SQLite, or with
    ``TEND_DB_PREPARED_STATEMENTS=0``, it is the connection's usual cursor.
    """
    if connection.vendor != "postgresql" or not settings.TEND_DB_PREPARED_STATEMENTS:
        return connection.cursor()
    global _preparing_cursor
    if _preparing_cursor is None:
        import psycopg

        class PreparingCursor(psycopg.Cursor[Any]):
            def execute(  # type: ignore[override]
                self, query: Any, params: Any = None, **kwargs: Any
            ) -> Any:
                result = super().execute(query, params, prepare=True)
                if self._query is None:
                    # psycopg keeps no text of a prepared execution, while Django's query log
                    # (DEBUG, the tests' query counters) reads it there: give it the statement.
                    self._query = _Statement(str(query).encode())  # type: ignore[assignment]
                return result

        _preparing_cursor = PreparingCursor
    connection.ensure_connection()
    pg = connection.connection
    if pg.prepare_threshold is None:
        # Django turns psycopg's preparing off, which also refuses an explicit prepare=True.
        # Its own cursors bind on the client and never prepare at any threshold, so a
        # threshold out of reach prepares exactly the statements that ask for it: these.
        pg.prepare_threshold = 2**31 - 1
    with connection.wrap_database_errors:
        raw = _preparing_cursor(pg)
    return connection._prepare_cursor(raw)  # type: ignore[attr-defined,no-any-return]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    marker_at: int
    converters: list[tuple[int, tuple[list[Any], Any]]]
    init_list: list[str]
    fields_start: int
    fields_end: int
    populators: list[Any]
    model: type[Model]


class PreparedRow(Generic[M]):
    """``PreparedRow(lambda value: Model.objects.filter(field=value)...)`` then ``.get(value)``.

    ``build`` must return a queryset of at most one row in which ``value`` appears exactly once
    among the parameters (as a filter on a text column); ``get`` answers the instance or None.
    """

    def __init__(self, build: Callable[[str], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        marker = f"prepared-{secrets.token_hex(16)}"
        queryset = self._build(marker).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        places = [i for i, param in enumerate(params) if param == marker]
        if len(places) != 1:
            raise ValueError("The value must appear exactly once among the query's parameters.")
        select, klass_info = compiler.select, compiler.klass_info
        known_related = getattr(queryset, "_known_related_objects", None)
        if klass_info is None or compiler.annotation_col_map or known_related:
            raise ValueError("Only plain model querysets (select_related allowed) can be prepared.")
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            marker_at=places[0],
            converters=list(
                compiler.get_converters(
                    [column[0] for column in select[: compiler.col_count]]
                ).items()
            ),
            init_list=[column[0].target.attname for column in select[start:end]],
            fields_start=start,
            fields_end=end,
            populators=get_related_populators(klass_info, select, alias),
            model=klass_info["model"],
        )

    def get(self, value: str, *, using: str = "default") -> M | None:
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or self._compile(using)
                self._compiled[using] = compiled
        params = list(compiled.params)
        params[compiled.marker_at] = value
        connection = connections[using]
        with preparing_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchone()
        if fetched is None:
            return None
        row = list(fetched)
        for position, (functions, expression) in compiled.converters:
            converted = row[position]
            for function in functions:
                converted = function(converted, expression, connection)
            row[position] = converted
        instance = compiled.model.from_db(
            using, compiled.init_list, row[compiled.fields_start : compiled.fields_end]
        )
        for populator in compiled.populators:
            populator.populate(row, instance)
        return instance  # type: ignore[return-value]


@dataclass(frozen=True)
class _CompiledInsert:
    sql: str
    fields: list[Any]


class PreparedInsert(Generic[M]):
    """``Model.save()`` of a new row with its INSERT compiled once per process and database.

    For a row written on every request (an audit event): saving through the ORM compiles the
    same INSERT each time. This writes exactly the columns ``save()`` would (each field's
    ``pre_save`` and ``get_db_prep_save``, so defaults and ``auto_now_add`` apply), in the
    current transaction. With ``signals=True`` it sends ``pre_save`` and ``post_save`` as
    ``save()`` does (``created=True``, ``raw=False``, no ``update_fields``), so receivers (the
    trigger map's revisions, for a moment) see the same save; without, use it only for a model
    nobody listens to. The instance's related objects must be saved already, as ``save()``
    requires; a row that breaks a constraint raises ``IntegrityError`` as ``save()`` would.
    """

    def __init__(self, model: type[M], *, signals: bool = False) -> None:
        self._model = model
        self._signals = signals
        self._compiled: dict[str, _CompiledInsert] = {}

    def _compile(self, alias: str) -> _CompiledInsert:
        from django.db.models.sql import InsertQuery

        fields = list(self._model._meta.local_concrete_fields)
        query = InsertQuery(self._model)
        query.insert_values(fields, [self._model()])
        statements = query.get_compiler(using=alias).as_sql()
        if len(statements) != 1 or len(statements[0][1]) != len(fields):
            raise ValueError("Only a plain one-row INSERT, one parameter a field, is prepared.")
        return _CompiledInsert(sql=statements[0][0], fields=fields)

    def statement(self, instance: M, *, using: str = "default") -> Statement:
        """The INSERT of ``instance`` with its values, to run with others (``run_together``).

        Without signals: a model written this way must be one nobody listens to, or its caller
        does what the receivers would.
        """
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        connection = connections[using]
        params = [
            field.get_db_prep_save(field.pre_save(instance, True), connection)
            for field in compiled.fields
        ]
        return Statement(compiled.sql, params)

    def saved(self, instance: M, *, using: str = "default") -> M:
        """Mark ``instance`` as stored, as ``save()`` does, once its statement has run."""
        instance._state.adding = False
        instance._state.db = using
        return instance

    def insert(self, instance: M, *, using: str = "default") -> M:
        origin = type(instance)
        if self._signals:
            signals.pre_save.send(
                sender=origin, instance=instance, raw=False, using=using, update_fields=None
            )
        statement = self.statement(instance, using=using)
        with preparing_cursor(connections[using]) as cursor:
            cursor.execute(statement.sql, statement.params)
        self.saved(instance, using=using)
        if self._signals:
            signals.post_save.send(
                sender=origin,
                instance=instance,
                created=True,
                update_fields=None,
                raw=False,
                using=using,
            )
        return instance


@dataclass(frozen=True)
class Statement:
    """One INSERT (or upsert) with its parameters, returning no rows."""

    sql: str
    params: list[Any]


def run_together(statements: Sequence[Statement], *, using: str = "default") -> None:
    """Run INSERTs as one unit: all of them stored, or (on an error) none.

    On PostgreSQL they become one statement, each but the last in a data-modifying ``WITH``
    (``WITH s0 AS (INSERT …), s1 AS (INSERT …) INSERT …``): one round trip, planned once per
    connection (prepared), and atomic by itself, so outside a transaction it needs no BEGIN and
    COMMIT. The parts see the same snapshot and none may read what another writes, which
    INSERTs of new rows never do. SQLite has no data-modifying ``WITH``: there they run one after
    another inside a transaction. A constraint broken by any part raises ``IntegrityError``.
    """
    connection = connections[using]
    if connection.vendor == "postgresql" and len(statements) > 1:
        *parts, last = statements
        sql = "WITH " + ", ".join(f"s{n} AS ({part.sql})" for n, part in enumerate(parts))
        sql += f" {last.sql}"
        params = [param for statement in statements for param in statement.params]
        # Inside a caller's transaction, a savepoint, as ``atomic`` would make: a refused
        # statement must not abort the caller's transaction (a retried capture reads on).
        with (
            (
                transaction.atomic(using=using)
                if connection.in_atomic_block
                else contextlib.nullcontext()
            ),
            preparing_cursor(connection) as cursor,
        ):
            cursor.execute(sql, params)
        return
    with transaction.atomic(using=using), preparing_cursor(connection) as cursor:
        for statement in statements:
            cursor.execute(statement.sql, statement.params)
