"""The trigger map's counting, done by the database in one statement.

One CTE selects the person's moments in the period through the ``(author, occurred_at)`` index,
once; a UNION ALL of small GROUP BYs then counts over it: intensities (with the intensity after,
for the drop), time to settle, states, needs, contexts, body regions, people, time of day and
local day. Only counts come back (``Row``), never text, so nothing is decrypted here. Counts of
different ranges add up, which is what ``tallies.py`` keeps per month. States, needs
and contexts come back grouped by the whole JSON list (``lists`` splits them); body regions are
unnested. The few things that differ between SQLite and PostgreSQL (unnesting a JSON list,
reading a key, the local hour) are the ``_Dialect`` below.

Local time: the period is cut into spans of constant UTC offset (``offset_spans``, from zoneinfo,
exact to the second of a change), and each row's local hour since 1970 is its UTC time plus its
span's offset, one date function and integer arithmetic per row on both databases.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import Any, NamedTuple

from django.db import connection, transaction

from tend.journal.models import Moment

UTC = dt.UTC


class Row(NamedTuple):
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
            # Narrow the change down to the second it happens (time zone rules change offsets
            # on whole seconds), so that no moment just after it keeps the old offset.
            low, high = at, following
            if low.microsecond:
                low = low.replace(microsecond=0)
            if high.microsecond:
                high = high.replace(microsecond=0) + dt.timedelta(seconds=1)
            while high - low > dt.timedelta(seconds=1):
                mid = low + dt.timedelta(seconds=(high - low).total_seconds() // 2)
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

    def local_hour(self, spans: list[tuple[Any, int]]) -> tuple[str, list[Any]]:
        """Hours since 1970-01-01 00:00 local time, an integer, with its parameters.

        UTC seconds plus the offset of the row's span, divided by 3600: integer arithmetic after
        one date function per row, which is cheaper than ``AT TIME ZONE`` on PostgreSQL and
        exact for offsets that are not whole hours. Weekday, hour and week derive from it.
        """
        field = Moment._meta.get_field("occurred_at")
        if len(spans) == 1:
            offset, params = "%s", [spans[0][1] * 60]
        else:
            cases, params = [], []
            for until, minutes in spans:
                if until is None:
                    cases.append("ELSE %s")
                    params.append(minutes * 60)
                else:
                    cases.append("WHEN m.occurred_at < %s THEN %s")
                    params += [field.get_db_prep_value(until, connection), minutes * 60]
            offset = f"(CASE {' '.join(cases)} END)"
        if self.pg:
            epoch = "date_part('epoch', m.occurred_at)"
            return f"CAST(floor(({epoch} + {offset}) / 3600) AS INTEGER)", params
        # SQLite keeps the time as text and has one date function worth its cost per row,
        # julianday(), which rounds to milliseconds (12:59:59.9996 would become 13:00). Cut
        # to whole seconds first (offsets are whole seconds too), and the arithmetic after it
        # is exact on integers. 210866760000000 is the Unix epoch as a Julian day in ms.
        return (
            "((CAST(round(julianday(substr(m.occurred_at, 1, 19)) * 86400000) AS INTEGER) "
            f"- 210866760000000 + {offset} * 1000) / 3600000)",
            params,
        )


def count_tuples(
    *,
    owner_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    tz: zoneinfo.ZoneInfo,
    ranges: list[tuple[dt.datetime, dt.datetime]] | None = None,
) -> list[tuple[Any, ...]]:
    """Every count the map needs for ``owner_id``'s moments in ``[start, end)``, as tuples of
    ``Row`` 's fields with the theme id as the database's text.

    Parts (``Row.part``) and their keys:

    Parts only the activations are shown for (``a`` in the SQL) leave glimmers out: ``settle``,
    ``state``, ``need``, ``context``, ``hour`` and ``week_settle``.

    - ``intensity``: per kind and theme, ``key`` the intensity and ``key2`` the intensity after
      (either may be NULL). Counts per theme, the intensity and the drop all come from it.
    - ``settle``: per kind and theme, ``key`` minutes to settle.
    - ``state``, ``need``: per kind and theme, ``key`` the whole JSON list of the moment.
    - ``context``: per kind and theme, ``key`` the JSON list.
    - ``context_intensity``: per kind, ``key`` the JSON list and ``key2`` the intensity.
    - ``body``: per kind and theme, ``key`` a region and ``key2`` its intensity.
    - ``person``: per kind and theme, ``key`` a person's id and ``key2`` the intensity.
    - ``hour``: per kind, ``key`` the local weekday (0 Sunday) and ``key2`` the local hour.
    - ``day``, ``day_settle``, ``day_state``: per kind and local day (``key``, days since
      1970-01-01), ``key2`` the intensity, minutes to settle or the states' JSON list. By day
      rather than by week of the period, so that counts of different periods add up
      (``tallies.py``); the map sums them into weeks.

    ``ranges`` counts only the moments in those parts of ``[start, end)`` (each ``(from, to)``).

    States, needs and contexts are grouped by the whole list, not unnested: a person chooses
    among few combinations, so a few hundred rows come back instead of one hash probe per
    element of twenty thousand, and ``lists`` splits them in Python.
    """
    d = _Dialect(connection.vendor)
    hour, hour_params = d.local_hour(offset_spans(tz, start, end))
    author = Moment._meta.get_field("author").target_field.get_db_prep_value(owner_id, connection)
    occurred = Moment._meta.get_field("occurred_at")
    t = d.text
    # Weekday: 0 is Sunday (1970-01-01 was a Thursday, day 4). Hours since 1970 are positive,
    # so integer division is floor division.
    wd, hr, dy = "((h / 24 + 4) %% 7)", "(h %% 24)", "(h / 24)"
    # Only code-made identifiers and expressions are put into the text; every value from
    # outside (the owner, the period, offsets) is a parameter.
    parts = [
        f"SELECT 'intensity', kind, {t('theme_id')}, {t('intensity')}, "  # noqa: S608
        f"{t('intensity_after')}, COUNT(*) FROM p "
        "GROUP BY kind, theme_id, intensity, intensity_after",
        f"SELECT 'settle', kind, {t('theme_id')}, {t('minutes_to_settle')}, NULL, COUNT(*) "  # noqa: S608
        "FROM p WHERE a AND minutes_to_settle IS NOT NULL "
        "GROUP BY kind, theme_id, minutes_to_settle",
        f"SELECT 'state', kind, {t('theme_id')}, {t('states')}, NULL, COUNT(*) FROM p "  # noqa: S608
        "WHERE a GROUP BY kind, theme_id, states",
        f"SELECT 'need', kind, {t('theme_id')}, {t('needs')}, NULL, COUNT(*) FROM p "  # noqa: S608
        "WHERE a GROUP BY kind, theme_id, needs",
        f"SELECT 'context', kind, {t('theme_id')}, {t('contexts')}, NULL, COUNT(*) FROM p "  # noqa: S608
        "WHERE a GROUP BY kind, theme_id, contexts",
        # Per theme and per intensity apart: together they would be a row for nearly every
        # combination of the two, thousands to read back.
        f"SELECT 'context_intensity', kind, NULL, {t('contexts')}, {t('intensity')}, "  # noqa: S608
        "COUNT(*) FROM p GROUP BY kind, contexts, intensity",
        # Body regions carry their own intensity, so they are unnested.
        f"SELECT 'body', kind, {t('theme_id')}, {t(d.key('region'))}, "  # noqa: S608
        f"{t(d.key('intensity'))}, COUNT(*) FROM p, {d.each_object('p.body')} "
        f"GROUP BY kind, theme_id, {d.key('region')}, {d.key('intensity')}",
        # People, through the moment-person table (ids only; labels are decrypted later).
        f"SELECT 'person', p.kind, {t('p.theme_id')}, {t('mp.person_id')}, "  # noqa: S608
        f"{t('p.intensity')}, COUNT(*) FROM p JOIN journal_momentperson mp "
        "ON mp.moment_id = p.id GROUP BY p.kind, p.theme_id, mp.person_id, p.intensity",
        f"SELECT 'hour', kind, NULL, {t(wd)}, {t(hr)}, COUNT(*) FROM p "  # noqa: S608
        f"WHERE a GROUP BY kind, {wd}, {hr}",
        f"SELECT 'day', kind, NULL, {t(dy)}, {t('intensity')}, COUNT(*) FROM p "  # noqa: S608
        f"GROUP BY kind, {dy}, intensity",
        f"SELECT 'day_settle', kind, NULL, {t(dy)}, {t('minutes_to_settle')}, COUNT(*) "  # noqa: S608
        f"FROM p WHERE a AND minutes_to_settle IS NOT NULL GROUP BY kind, {dy}, minutes_to_settle",
        f"SELECT 'day_state', kind, NULL, {t(dy)}, {t('states')}, COUNT(*) FROM p "  # noqa: S608
        f"GROUP BY kind, {dy}, states",
    ]
    spans = ranges if ranges is not None else [(start, end)]
    if not spans:
        return []
    within = " OR ".join(["(m.occurred_at >= %s AND m.occurred_at < %s)"] * len(spans))
    sql = (
        "WITH p AS MATERIALIZED ("  # noqa: S608
        "SELECT m.id, m.kind, m.kind = %s AS a, m.theme_id, m.intensity, m.intensity_after, "
        "m.minutes_to_settle, "
        f"m.states, m.needs, m.contexts, m.body, {hour} AS h FROM journal_moment m "
        f"WHERE m.author_id = %s AND ({within}) "
        "AND m.deleted_at IS NULL) " + " UNION ALL ".join(parts)
    )
    params = [Moment.Kind.ACTIVATION.value, *hour_params, author]
    for since, until in spans:
        params += [
            occurred.get_db_prep_value(since, connection),
            occurred.get_db_prep_value(until, connection),
        ]
    # Only PostgreSQL needs a transaction (for SET LOCAL); on SQLite one would begin IMMEDIATE
    # and hold the write lock through a read.
    with transaction.atomic() if d.pg else nullcontext(), connection.cursor() as cursor:
        if d.pg:
            # The statement is long and, over a big table, its estimated cost passes the JIT
            # threshold: compiling it takes PostgreSQL seconds for a query that runs in
            # milliseconds. SET LOCAL keeps the change to this transaction.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return fetched


def rows_of(counted: Iterable[Sequence[Any]]) -> list[Row]:
    """``count_tuples``' tuples (or sums of them) as ``Row`` s, with theme ids parsed."""
    # Few distinct themes: parse each id once.
    themes: dict[str | None, uuid.UUID | None] = {None: None, "": None}
    return [
        Row(
            part,
            kind,
            themes[theme] if theme in themes else themes.setdefault(theme, uuid.UUID(theme)),
            key,
            key2,
            n,
        )
        for part, kind, theme, key, key2, n in counted
    ]


def lists(
    rows: list[Row], *, kind: str | None = None, into: str = "key"
) -> list[tuple[Row, list[str]]]:
    """Each row of a JSON-list part with the codes of its list (``into``: the column holding it).

    Parsed once per distinct list text. Codes that are not strings (never written by Tend)
    count by their JSON text, as unnesting in SQL would; ``null`` elements are skipped.
    """
    parsed: dict[str, list[str]] = {}
    out = []
    for r in rows:
        if kind is not None and r.kind != kind:
            continue
        text = getattr(r, into)
        if text is None:
            continue
        codes = parsed.get(text)
        if codes is None:
            value = json.loads(text)
            codes = parsed[text] = [
                c if isinstance(c, str) else json.dumps(c)
                for c in (value if isinstance(value, list) else ())
                if c is not None
            ]
        out.append((r, codes))
    return out


def period_count(*, owner_id: uuid.UUID, start: dt.datetime, end: dt.datetime) -> int:
    """The floor the benchmark compares with: an index-only count of the period's moments."""
    return Moment.objects.filter(
        author_id=owner_id, occurred_at__gte=start, occurred_at__lt=end
    ).count()
