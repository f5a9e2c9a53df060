"""``python -m bench.safety``: how long Safety Check takes for a person with many ties.

Safety Check is a one-shot action (after the first run there is nothing left to revoke), so it
does not suit the load harness's repeated requests. This sets up a throwaway stage (own data
directory and database; ``--database postgres`` uses a fresh ``tend_bench`` database), and in
one process, for each round, seeds a fresh person with ``--connections`` connections,
``--shares`` shares spread over them, open invitations, API tokens and other sessions, then
times ``safety_check_run`` (the service the page and the API call) and checks its counts.

    python -m bench.safety --database sqlite --connections 50 --shares 1000 --rounds 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from typing import Any

from bench.server import Stage


def seed_person(connections: int, shares: int, tag: str) -> Any:
    """A person with ``connections`` connections and ``shares`` shares, made with bulk INSERTs."""
    import datetime as dt
    import uuid

    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from tend.accounts.models import User
    from tend.api.services import token_create
    from tend.connections.models import Connection, Invitation, Share, pair_key
    from tend.journal.models import Theme

    person = User.objects.create_user(f"safety-{tag}@bench.test")
    others = User.objects.bulk_create(
        [User(email=f"other-{tag}-{i}@bench.test") for i in range(connections)]
    )
    links = Connection.objects.bulk_create(
        [
            Connection(user_a=person, user_b=o, kind="partner", pair=pair_key(person.pk, o.pk))
            for o in others
        ]
    )
    theme = Theme.objects.create(owner=person, name="bench theme")
    scopes = ["theme", "weekly_summary", "trigger_map"]
    Share.objects.bulk_create(
        [
            Share(
                owner=person,
                recipient_id=links[i % connections].user_b_id,
                connection=links[i % connections],
                scope=scopes[i % 3],
                theme=theme if i % 3 == 0 else None,
            )
            for i in range(shares)
        ]
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                inviter=person,
                kind="friend",
                token_hash=uuid.uuid4().hex,
                expires_at=timezone.now() + dt.timedelta(days=7),
            )
            for _ in range(5)
        ]
    )
    for i in range(3):
        token_create(user=person, name=f"t{i}", scope="read")
    for i in range(3):
        store = SessionStore()
        store["_auth_user_id"] = str(person.pk)
        store.create()
        UserSession.objects.create(
            user=person, ip="127.0.0.1", session_key=store.session_key, user_agent=f"bench {i}"
        )
    return person


def measure(connections: int, shares: int, rounds: int) -> dict[str, Any]:
    import django

    django.setup()
    from tend.connections.services import safety_check_run

    times: list[float] = []
    counts: dict[str, int] = {}
    for index in range(rounds):
        person = seed_person(connections, shares, str(index))
        started = time.perf_counter()
        counts = safety_check_run(actor=person)
        times.append(time.perf_counter() - started)
        assert counts["shares_revoked"] == shares, counts
        assert counts["connections_ended"] == connections, counts
    times.sort()
    return {
        "rounds": rounds,
        "connections": connections,
        "shares": shares,
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))] * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
        "counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.safety", description=__doc__)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--shares", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.connections, args.shares, args.rounds)))
        return 0
    with Stage(database=args.database, keep=args.keep, pg_database="tend_bench_safety") as stage:
        stage.prepare(auth=False)
        done = stage.python(
            "bench.safety",
            "--measure",
            "--connections",
            str(args.connections),
            "--shares",
            str(args.shares),
            "--rounds",
            str(args.rounds),
        )
        if done.returncode != 0:
            print(done.stderr[-4000:], file=sys.stderr)
            return 1
        figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"Tend bench: Safety Check · {args.database} · {figures['connections']} connections, "
        f"{figures['shares']} shares, 5 invitations, 3 tokens, 3 other sessions · "
        f"{figures['rounds']} fresh people"
    )
    print(
        f"p50 {figures['p50_ms']} ms · p95 {figures['p95_ms']} ms · max {figures['max_ms']} ms · "
        f"counts {figures['counts']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
