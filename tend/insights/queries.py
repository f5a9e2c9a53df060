"""The trigger map's counting, done by the database in one statement.

One CTE selects the person's moments in the period through the ``(author, occurred_at)`` index,
once; a UNION ALL of small GROUP BYs then counts over it: intensities, drops, time to settle,
states, needs, contexts, body regions, people, time of day and week. Only counts come back
(``Row``), never text, so nothing is decrypted here. The few things that differ between SQLite
and PostgreSQL (unnesting a JSON list, reading a key, local time) are the ``_Dialect`` below.

Local time: PostgreSQL converts with ``AT TIME ZONE``. SQLite has no time zones, so the period
is cut into spans of constant UTC offset (``offset_spans``, from zoneinfo) and each row is
shifted by its span's offset with a CASE inside ``datetime(...)``: exact across daylight-saving
changes, and still one pass in the database.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from tend.journal.models import Moment

UTC = dt.UTC


@dataclass(frozen=True)
class Row:
    part: str
    kind: str
    theme: uuid.UUID | None
    key: str | None
    key2: str | None
    n: int


def offset_spans(
    tz: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime | None, int]]:
    """``[(until, offset minutes), ...]``: each offset holds up to ``until`` (None: the end)."""

    def offset(at: dt.datetime) -> int:
        delta = at.astimezone(tz).utcoffset() or dt.timedelta(0)
        return int(delta.total_seconds() // 60)

    spans: list[tuple[dt.datetime | None, int]] = []
    at = start.astimezone(UTC)
    current = offset(at)
    step = dt.timedelta(hours=12)
    while at < end:
        following = min(at + step, end)
        if offset(following) != current:
            # Narrow the change down to the minute.
            low, high = at, following
            while high - low > dt.timedelta(minutes=1):
                mid = low + (high - low) / 2
                if offset(mid) == current:
                    low = mid
                else:
                    high = mid
            spans.append((high, current))
            current = offset(high)
            at = high
        else:
            at = following
    spans.append((None, current))
    return spans


class _Dialect:
    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def each_text(self, column: str) -> str:
        if self.pg:
            return f"jsonb_array_elements_text({column}) AS j(value)"
        return f"json_each({column}) AS j"

    def each_object(self, column: str) -> str:
        if self.pg:
            return f"jsonb_array_elements({column}) AS j(value)"
        return f"json_each({column}) AS j"

    def key(self, name: str) -> str:
        if self.pg:
            return f"(j.value ->> '{name}')"
        return f"json_extract(j.value, '$.{name}')"

    def text(self, expression: str) -> str:
        return f"CAST({expression} AS TEXT)"

    def local(self, tz: zoneinfo.ZoneInfo, spans: list[tuple[Any, int]]) -> tuple[str, list[Any]]:
        """The local time: a timestamp on PostgreSQL, a Julian day number (float) on SQLite."""
        if self.pg:
            return "(m.occurred_at AT TIME ZONE %s)", [tz.key]
        # One julianday() per row and arithmetic after it: SQLite's date functions are the
        # costly part of a row here, so the offset is added in days, not with a modifier.
        field = Moment._meta.get_field("occurred_at")
        if len(spans) == 1:
            return "(julianday(m.occurred_at) + %s)", [spans[0][1] / 1440]
        cases, params = [], []
        for until, minutes in spans:
            if until is None:
                cases.append("ELSE %s")
                params.append(minutes / 1440)
            else:
                cases.append("WHEN m.occurred_at < %s THEN %s")
                params += [field.get_db_prep_value(until, connection), minutes / 1440]
        return f"(julianday(m.occurred_at) + CASE {' '.join(cases)} END)", params

    def day_number(self, local: str) -> str:
        """Days since 1970-01-01 of the local date."""
        if self.pg:
            return f"(CAST({local} AS DATE) - DATE '1970-01-01')"
        # Julian days begin at noon: + 0.5 turns them into days that begin at midnight.
        return f"(CAST({local} + 0.5 AS INTEGER) - 2440588)"

    def weekday(self, local: str) -> str:
        # 0 is Sunday in both (1970-01-01 was a Thursday, day 4).
        if self.pg:
            return f"CAST(EXTRACT(DOW FROM {local}) AS INTEGER)"
        return f"(({self.day_number(local)} + 4) % 7)"

    def hour(self, local: str) -> str:
        if self.pg:
            return f"CAST(EXTRACT(HOUR FROM {local}) AS INTEGER)"
        return f"CAST(({local} + 0.5 - CAST({local} + 0.5 AS INTEGER)) * 24 AS INTEGER)"


def count_rows(
    *, owner_id: uuid.UUID, start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo
) -> list[Row]:
    """Every count the map needs for ``owner_id``'s moments in ``[start, end)``."""
    d = _Dialect(connection.vendor)
    local, local_params = d.local(tz, offset_spans(tz, start, end))
    author = Moment._meta.get_field("author").target_field.get_db_prep_value(owner_id, connection)
    occurred = Moment._meta.get_field("occurred_at")
    first_day = (start.astimezone(tz).date() - dt.date(1970, 1, 1)).days
    t = d.text
    # Only code-made identifiers and expressions are put into the text; every value (the owner,
    # the period, offsets, time zone) is a parameter.
    parts = [
        # Intensity, drop and time to settle, per kind and theme.
        # 'intensity' counts every moment: its NULL key is "no intensity given".
        f"SELECT 'intensity', kind, {t('theme_id')}, {t('intensity')}, NULL, COUNT(*) FROM p "  # noqa: S608
        "GROUP BY kind, theme_id, intensity",
        f"SELECT 'drop', kind, {t('theme_id')}, {t('intensity - intensity_after')}, NULL, "  # noqa: S608
        "COUNT(*) FROM p WHERE intensity IS NOT NULL AND intensity_after IS NOT NULL "
        "GROUP BY kind, theme_id, intensity - intensity_after",
        f"SELECT 'settle', kind, {t('theme_id')}, {t('minutes_to_settle')}, NULL, COUNT(*) "  # noqa: S608
        "FROM p WHERE minutes_to_settle IS NOT NULL GROUP BY kind, theme_id, minutes_to_settle",
        # The JSON lists, unnested.
        f"SELECT 'state', kind, {t('theme_id')}, {t('j.value')}, NULL, COUNT(*) "  # noqa: S608
        f"FROM p, {d.each_text('p.states')} GROUP BY kind, theme_id, j.value",
        f"SELECT 'need', kind, {t('theme_id')}, {t('j.value')}, NULL, COUNT(*) "  # noqa: S608
        f"FROM p, {d.each_text('p.needs')} GROUP BY kind, theme_id, j.value",
        f"SELECT 'context', kind, {t('theme_id')}, {t('j.value')}, {t('intensity')}, COUNT(*) "  # noqa: S608
        f"FROM p, {d.each_text('p.contexts')} GROUP BY kind, theme_id, j.value, intensity",
        f"SELECT 'body', kind, {t('theme_id')}, {t(d.key('region'))}, "  # noqa: S608
        f"{t(d.key('intensity'))}, COUNT(*) FROM p, {d.each_object('p.body')} "
        f"GROUP BY kind, theme_id, {d.key('region')}, {d.key('intensity')}",
        # People, through the moment-person table (ids only; labels are decrypted later).
        f"SELECT 'person', p.kind, {t('p.theme_id')}, {t('mp.person_id')}, {t('p.intensity')}, "  # noqa: S608
        "COUNT(*) FROM p JOIN journal_momentperson mp ON mp.moment_id = p.id "
        "GROUP BY p.kind, p.theme_id, mp.person_id, p.intensity",
        # Local time of day and weekday; weeks since the period began.
        f"SELECT 'hour', kind, NULL, {t('wd')}, {t('hr')}, COUNT(*) FROM p GROUP BY kind, wd, hr",  # noqa: S608
        f"SELECT 'week', kind, NULL, {t('wk')}, {t('intensity')}, COUNT(*) FROM p "  # noqa: S608
        "GROUP BY kind, wk, intensity",
        f"SELECT 'week_settle', kind, NULL, {t('wk')}, {t('minutes_to_settle')}, COUNT(*) "  # noqa: S608
        "FROM p WHERE minutes_to_settle IS NOT NULL GROUP BY kind, wk, minutes_to_settle",
        f"SELECT 'week_state', kind, NULL, {t('wk')}, {t('j.value')}, COUNT(*) "  # noqa: S608
        f"FROM p, {d.each_text('p.states')} GROUP BY kind, wk, j.value",
    ]
    sql = (
        "WITH p AS MATERIALIZED (SELECT m.id, m.kind, m.theme_id, m.intensity, m.intensity_after, "  # noqa: S608
        "m.minutes_to_settle, m.states, m.needs, m.contexts, m.body, "
        f"{d.weekday('lt')} AS wd, {d.hour('lt')} AS hr, "
        f"({d.day_number('lt')} - %s) / 7 AS wk "
        "FROM (SELECT m.id, m.kind, m.theme_id, m.intensity, m.intensity_after, "
        "m.minutes_to_settle, m.states, m.needs, m.contexts, m.body, "
        f"{local} AS lt FROM journal_moment m "
        "WHERE m.author_id = %s AND m.occurred_at >= %s AND m.occurred_at < %s "
        "AND m.deleted_at IS NULL) AS m) " + " UNION ALL ".join(parts)
    )
    params = [
        first_day,
        *local_params,
        author,
        occurred.get_db_prep_value(start, connection),
        occurred.get_db_prep_value(end, connection),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if d.pg:
            # The statement is long and, over a big table, its estimated cost passes the JIT
            # threshold: compiling it takes PostgreSQL seconds for a query that runs in
            # milliseconds. SET LOCAL keeps the change to this transaction.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [
        Row(
            part=part,
            kind=kind,
            theme=uuid.UUID(theme) if theme else None,
            key=key,
            key2=key2,
            n=int(n),
        )
        for part, kind, theme, key, key2, n in fetched
    ]


def period_count(*, owner_id: uuid.UUID, start: dt.datetime, end: dt.datetime) -> int:
    """The floor the benchmark compares with: an index-only count of the period's moments."""
    return Moment.objects.filter(
        author_id=owner_id, occurred_at__gte=start, occurred_at__lt=end
    ).count()
