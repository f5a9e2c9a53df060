"""Data for the trigger-map benchmark, and the in-process measurement of the map against its floor.

Run inside a stage's environment (``python -m bench.insights`` does that)::

    python -m bench.insights_data seed --total 2000000 --owners 1000,5000,20000
    python -m bench.insights_data measure --owners 1000,5000,20000 --rounds 30

``seed`` fills ``journal_moment`` with other people's moments (structured fields only, empty text:
the map never decrypts anyone else's, so their words do not matter) with raw batched INSERTs (COPY
on PostgreSQL), then gives each owner ``n`` full moments through the ORM so that their words are
encrypted with their own key and decrypt like anyone's. ``measure`` times, in one process and in
rotating order, the map as the API builds it (``trigger_map`` plus the JSON) twice — kept (the
same map asked for again) and cold (just after a write, counted afresh) — and the floor: an
index-only count of that owner's moments in the same period.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from bench.server import process_cpu

BENCH_TZ = "Europe/Berlin"
DAYS = 365
STATES = [["flight"], ["fight", "flight"], ["freeze"], ["fawn"], ["shutdown"], ["fight"]]
REGIONS = ["chest", "gut", "jaw", "throat", "belly", "shoulders", "heart", "head"]
NEEDS = ["not_prioritised", "left_behind", "being_replaced", "reassurance", "not_enough"]
CONTEXTS = ["at_home", "together", "apart", "partner_on_date", "messages", "at_night"]
HELPS = [
    "Five slow breaths",
    "Hand on my heart",
    "A walk around the block",
    "Texted a friend",
    "Told them what I noticed",
    "Cold water",
    "Music",
    "Scrolled more",
]
URGES = ["Check their phone", "Ask who it was", "Go silent", "Leave the room"]


def owner_email(size: int) -> str:
    return f"owner-{size}@bench.test"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _period_end() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def _structured(rng: random.Random) -> dict[str, Any]:
    intensity = rng.randint(2, 10)
    return {
        "kind": "glimmer" if rng.random() < 0.25 else "activation",
        "states": rng.choice(STATES),
        "intensity": intensity,
        "intensity_after": max(0, intensity - rng.randint(0, 6)),
        "minutes_to_settle": rng.choice([5, 10, 15, 20, 30, 45, 60, 90, None]),
        "body": [
            {"region": r, "sensations": ["tight"], "intensity": rng.randint(1, 10)}
            for r in rng.sample(REGIONS, k=rng.randint(0, 2))
        ],
        "needs": rng.sample(NEEDS, k=rng.randint(0, 2)),
        "contexts": rng.sample(CONTEXTS, k=rng.randint(1, 2)),
    }


def seed_others(*, rows: int, per_user: int = 5_000, seed: int = 1) -> float:
    """``rows`` moments of other people (structured only), in batches. Returns seconds taken."""
    from django.db import connection, transaction

    from tend.accounts.models import User
    from tend.journal.models import Moment

    started = time.perf_counter()
    rng = random.Random(seed)
    n_users = max(1, rows // per_user)
    users = [
        User(email=f"other-{i}@bench.test", time_zone="UTC", password="!")  # noqa: S106
        for i in range(n_users)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    fields = list(Moment._meta.concrete_fields)
    columns = [f.column for f in fields]
    pg = connection.vendor == "postgresql"
    end = _period_end()
    # A pool of structured values, reused: the variety the map groups by, without building
    # two million JSON documents one by one.
    pool = [_structured(rng) for _ in range(512)]

    if pg:
        from psycopg.types.json import Jsonb

        def encode(value: Any) -> Any:
            return Jsonb(value)

    else:

        def encode(value: Any) -> Any:
            return json.dumps(value)

    def stamp(at: dt.datetime) -> Any:
        return at if pg else at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def uid(value: uuid.UUID) -> Any:
        return value if pg else value.hex

    def row(user: User, i: int) -> list[Any]:
        s = pool[i % len(pool)]
        at = end - dt.timedelta(seconds=rng.randrange(DAYS * 86_400))
        values = {
            # Ascending ids (a counter, then random bits) append to the primary-key index
            # instead of splitting pages at random; the map never reads by id.
            "id": uid(uuid.UUID(int=(base + i) << 64 | rng.getrandbits(64))),
            "author_id": uid(user.pk),
            "kind": s["kind"],
            "occurred_at": stamp(at),
            "theme_id": None,
            "states": encode(s["states"]),
            "intensity": s["intensity"],
            "body": encode(s["body"]),
            "needs": encode(s["needs"]),
            "contexts": encode(s["contexts"]),
            "intensity_after": s["intensity_after"],
            "minutes_to_settle": s["minutes_to_settle"],
            "idempotency_key": None,
            "request_hash": "",
            "created_at": stamp(at),
            "updated_at": stamp(at),
            "edited": False,
            "deleted_at": None,
        }
        return [values.get(c, b"") for c in columns]

    base = 1 << 40
    batch = 20_000
    with transaction.atomic(), connection.cursor() as cursor:
        if pg:
            raw = cursor.cursor
            with raw.copy(f"COPY journal_moment ({', '.join(columns)}) FROM STDIN") as copy:
                for i in range(rows):
                    copy.write_row(row(users[i % n_users], i))
        else:
            # Build the secondary indexes once after loading, as a restore would: far faster
            # than keeping five B-trees in order through two million inserts.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'journal_moment' AND sql IS NOT NULL"
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO journal_moment ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            for first in range(0, rows, batch):
                cursor.executemany(
                    sql,
                    [row(users[i % n_users], i) for i in range(first, min(rows, first + batch))],
                )
            for _name, index_sql in indexes:
                cursor.execute(index_sql)
    return time.perf_counter() - started


def seed_owner(*, size: int, seed: int = 2, email: str | None = None) -> float:
    """One owner with ``size`` full moments in the last year, words encrypted with their key.

    ``email`` names an existing account to fill (the harness's bench account) instead.
    """
    from tend.accounts.models import User
    from tend.journal.models import Moment, MomentPerson, Theme
    from tend.journal.people_models import Person

    started = time.perf_counter()
    rng = random.Random(seed + size)
    if email is not None:
        owner = User.objects.get(email=email)
        owner.time_zone = BENCH_TZ
        owner.save(update_fields=["time_zone"])
    else:
        owner = User.objects.create_user(email=owner_email(size), password=None, time_zone=BENCH_TZ)
    themes = [Theme.objects.create(owner=owner, name=f"Theme {i}") for i in range(6)]
    people = [Person.objects.create(owner=owner, label=f"Person {i}") for i in range(4)]
    end = _period_end()
    moments = []
    for _ in range(size):
        s = _structured(rng)
        activation = s["kind"] == "activation"
        moments.append(
            Moment(
                author=owner,
                occurred_at=end - dt.timedelta(seconds=rng.randrange(DAYS * 86_400)),
                theme=rng.choice(themes) if activation and rng.random() < 0.8 else None,
                cue="A cue in the person's own words",
                helped=rng.choice(HELPS) if activation and rng.random() < 0.6 else "",
                urge=rng.choice(URGES) if activation and rng.random() < 0.4 else "",
                **s,
            )
        )
    Moment.objects.bulk_create(moments, batch_size=2_000)
    links = [
        MomentPerson(moment=m, person=rng.choice(people)) for m in moments if rng.random() < 0.3
    ]
    MomentPerson.objects.bulk_create(links, batch_size=5_000)
    return time.perf_counter() - started


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Also sets the visibility map, without which a count is not index-only.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            # Loading wrote the whole table into the write-ahead log; fold it into the database
            # so that reads do not search a log of hundreds of megabytes, as a live server's
            # regular checkpoints would have.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _database_cpu() -> Callable[[], float | None]:
    """Seconds of CPU the database has spent for this connection so far (None: unreadable).

    PostgreSQL on this machine: its backend process's user and system time from /proc. SQLite
    runs inside this process, so its time is already in ``time.process_time()``: 0 here.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def read() -> float | None:
        found = process_cpu(pid)
        return None if found is None else found[1]

    return read


def measure(*, sizes: list[int], rounds: int) -> dict[str, Any]:
    """Per owner: the map as the API serves it, kept (asked for again), cold (just after a moment
    is logged: whole months from their kept counts) and cold after a change to every month (a
    theme deleted: all counted afresh), against the floor; all rotated in one process."""
    from django.utils import timezone

    from tend.accounts.models import User
    from tend.insights.forms import bounds, last_days
    from tend.insights.queries import period_count
    from tend.insights.revisions import map_revision_bump, months_near
    from tend.insights.schemas import MapOut, map_out
    from tend.insights.selectors import trigger_map
    from tend.journal.models import Moment

    results: dict[str, Any] = {"total_rows": Moment.objects.count(), "sizes": {}}
    # As config/wsgi.py does in a server once Tend is loaded.
    gc.freeze()
    for size in sizes:
        owner = User.objects.get(email=owner_email(size))
        start, end = bounds(*last_days(DAYS + 1, owner.tz), owner.tz)

        def the_map() -> int:
            found = trigger_map(owner=owner, start=start, end=end)  # noqa: B023
            body = MapOut.model_validate(map_out(found)).model_dump_json(by_alias=True)
            return len(body)

        def after_a_write() -> None:
            # What logging a moment now does in its transaction: the kept map and the counts of
            # the moment's month are not used again (that month is not whole in the period, so
            # it is counted each time anyway); the whole months keep their counts.
            map_revision_bump(owner_id=owner.pk, months=months_near(timezone.now()))  # noqa: B023

        def after_a_change_to_every_month() -> None:
            # What deleting a theme or a person does: every month is counted again.
            map_revision_bump(owner_id=owner.pk, counts=True)  # noqa: B023

        def the_floor() -> int:
            return period_count(owner_id=owner.pk, start=start, end=end)  # noqa: B023

        counted = the_floor()
        the_map()  # warm: the data key, the plan caches
        database_cpu = _database_cpu()
        timings: dict[str, list[float]] = {"kept": [], "cold": [], "cold_all": [], "floor": []}
        # CPU spent on the cold map (this process and, on PostgreSQL, its backend): on a shared
        # machine the wall times follow everyone's load, this much less.
        cpu = {"python": 0.0, "database": 0.0}
        runs: list[tuple[str, Callable[[], object], Callable[[], object] | None]] = [
            ("kept", the_map, None),
            ("cold", the_map, after_a_write),
            ("cold_all", the_map, after_a_change_to_every_month),
            ("floor", the_floor, None),
        ]
        for n in range(rounds):
            for name, fn, before in runs[n % 4 :] + runs[: n % 4]:
                if before is not None:
                    before()
                cpu_began = time.process_time()
                db_began = database_cpu()
                began = time.perf_counter()
                fn()
                timings[name].append((time.perf_counter() - began) * 1000)
                if name == "cold":
                    cpu["python"] += time.process_time() - cpu_began
                    db_ended = database_cpu()
                    if db_began is not None and db_ended is not None:
                        cpu["database"] += db_ended - db_began
        figures: dict[str, Any] = {
            name: {"p50_ms": _percentile(v, 50), "p95_ms": _percentile(v, 95)}
            for name, v in timings.items()
        }
        figures["moments_in_period"] = counted
        figures["cold_cpu_ms"] = {k: v * 1000 / rounds for k, v in cpu.items()}
        for name in ("kept", "cold", "cold_all"):
            for p in ("p50", "p95"):
                figures[f"ratio_{name}_{p}"] = (
                    figures[name][f"{p}_ms"] / figures["floor"][f"{p}_ms"]
                )
        results["sizes"][str(size)] = figures
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.insights_data")
    sub = parser.add_subparsers(dest="command", required=True)
    seed = sub.add_parser("seed")
    seed.add_argument("--total", type=int, default=2_000_000)
    seed.add_argument("--owners", default="1000,5000,20000")
    run = sub.add_parser("measure")
    run.add_argument("--owners", default="1000,5000,20000")
    run.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.owners.split(",") if s]
    _django()
    if args.command == "seed":
        others = max(0, args.total - sum(sizes))
        seconds = {"others": seed_others(rows=others)}
        for size in sizes:
            seconds[f"owner_{size}"] = seed_owner(size=size)
        began = time.perf_counter()
        analyse()
        seconds["analyse"] = time.perf_counter() - began
        print(json.dumps({"seeded_seconds": seconds}))
    else:
        print(json.dumps(measure(sizes=sizes, rounds=args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
