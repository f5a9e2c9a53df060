"""``python -m bench`` (or ``make bench BENCH_ARGS=...``): measure an endpoint against the floor.

It serves a throwaway Tend with gunicorn on loopback (own data directory, own database,
TEND_BENCH=1 so the floor endpoint exists), drives the target and then the floor at the same
concurrency for the same time, each after a warm-up, and prints throughput, latency percentiles,
errors, and the target/floor ratios. The default target is the floor itself: a ratio near 1.0
shows the harness is honest.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
from dataclasses import replace
from pathlib import Path

from bench.load import Result, drive
from bench.server import Stage
from bench.targets import FLOOR, TARGETS, Target


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--target",
        default="floor",
        choices=sorted(TARGETS),
        help="the endpoint to measure (default: floor, against itself)",
    )
    parser.add_argument(
        "--database",
        default="sqlite",
        choices=["sqlite", "postgres"],
        help="postgres: a fresh `tend_bench` database on 127.0.0.1:5432 (plus "
        "$TEND_BENCH_DB_SUFFIX, so that people sharing a server do not collide)",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="client threads (16)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured time before each")
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="slices per endpoint, alternated target/floor/floor/target (4)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", 2)),
        help="gunicorn worker processes (as `tend serve`: $WEB_CONCURRENCY or 2)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (4)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the data directory (and the tend_bench database) afterwards",
    )
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 512:
        parser.error("--concurrency must be between 1 and 512")
    if not 0 < args.seconds <= 600 or not 0 <= args.warmup <= 120:
        parser.error("--seconds must be in (0, 600] and --warmup in [0, 120]")
    if not 1 <= args.rounds <= 100:
        parser.error("--rounds must be between 1 and 100")
    return args


def measure(stage: Stage, pair: list[tuple[Target, str]], args: argparse.Namespace) -> list[Result]:
    """Measure each (target, path) for ``args.seconds``, in alternating slices.

    The slices run in ABBA order (target, floor, floor, target, ...), so that whatever else the
    machine does meanwhile, and any drift as tables grow, weighs on both sides alike.
    """

    def run(target: Target, path: str, seconds: float) -> Result:
        before, client_before = stage.cpu_seconds(), _own_cpu()
        result, kinds = drive(
            target,
            host=stage.host,
            port=stage.port,
            path=path,
            token=stage.token if target.auth else None,
            cookie=stage.cookie if target.session else None,
            concurrency=args.concurrency,
            seconds=seconds,
        )
        after = stage.cpu_seconds()
        # A process that started during the slice counts from zero; one that ended is lost
        # (the pool keeps its connections, so neither happens in a steady run).
        result = replace(
            result,
            cpu_s={
                part: sum(s - before[part].get(pid, 0.0) for pid, s in after[part].items())
                for part in after
                if after[part]
            }
            | {"client": _own_cpu() - client_before},
        )
        for kind, count in kinds.items():
            errors_by_kind[f"{target.name}: {kind}"] = (
                errors_by_kind.get(f"{target.name}: {kind}", 0) + count
            )
        return result

    errors_by_kind: dict[str, int] = {}
    if args.warmup:
        for target, path in pair:
            run(target, path, args.warmup)
    results: list[Result | None] = [None] * len(pair)
    slice_seconds = args.seconds / args.rounds
    for n in range(args.rounds):
        order = list(enumerate(pair)) if n % 2 == 0 else list(enumerate(pair))[::-1]
        for i, (target, path) in order:
            measured = run(target, path, slice_seconds)
            previous = results[i]
            results[i] = measured if previous is None else previous.merged(measured)
    if errors_by_kind:
        print(f"  errors by kind: {errors_by_kind} (server log: {stage.log_path})", file=sys.stderr)
    return [r for r in results if r is not None]


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


CPU_PARTS = ("server", "database", "client")


def row(label: str, route: str, r: Result) -> str:
    cpu = " ".join(f"{r.cpu_ms_per_request(part):>8.2f}" for part in CPU_PARTS)
    return (
        f"{label:<8} {route:<28} {r.throughput:>9.1f} {r.percentile(50):>8.2f} "
        f"{r.percentile(95):>8.2f} {r.percentile(99):>8.2f} {r.errors:>7} {r.requests:>8} {cpu}"
    )


def _cpu_total(r: Result) -> float:
    parts = [r.cpu_ms_per_request(p) for p in CPU_PARTS]
    return sum(p for p in parts if not math.isnan(p))  # not measured counts as nothing


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.list:
        for name, t in sorted(TARGETS.items()):
            print(f"{name:<16} {t.method} {t.path}  {t.description}")
        return 0
    target = TARGETS[args.target]
    with Stage(
        database=args.database, workers=args.workers, threads=args.threads, keep=args.keep
    ) as stage:
        stage.prepare(auth=target.auth, static=target.needs_static, session=target.session)
        values = target.setup(stage) if target.setup else {}
        path = target.path.format(**values)
        stage.start()
        print(
            f"Tend bench: target {target.name!r} vs floor · {args.database} · concurrency "
            f"{args.concurrency} · {args.seconds:g} s each in {args.rounds} alternating "
            f"slices after {args.warmup:g} s warm-up · "
            f"gunicorn {args.workers} workers x {args.threads} threads · "
            f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        )
        measured, floor = measure(stage, [(target, path), (FLOOR, FLOOR.path)], args)

    print(
        f"{'':<8} {'endpoint':<28} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'requests':>8} {'cpu srv':>8} {'cpu db':>8} {'cpu cli':>8}"
    )
    print("(cpu: CPU ms per request of the gunicorn workers, the database server, this client)")
    print(row("target", f"{target.method} {path}", measured))
    print(row("floor", f"{FLOOR.method} {FLOOR.path}", floor))
    ratios = {
        "throughput": ratio(measured.throughput, floor.throughput),
        "p50": ratio(measured.percentile(50), floor.percentile(50)),
        "p95": ratio(measured.percentile(95), floor.percentile(95)),
        "p99": ratio(measured.percentile(99), floor.percentile(99)),
        "cpu_per_request": ratio(_cpu_total(measured), _cpu_total(floor)),
    }
    print(
        f"ratio    target/floor: throughput {ratios['throughput']:.2f} · latency p50 "
        f"{ratios['p50']:.2f}, p95 {ratios['p95']:.2f}, p99 {ratios['p99']:.2f} · "
        f"CPU per request (server + db + client) {ratios['cpu_per_request']:.2f}"
    )
    print(
        f"DB writes per request: target {measured.db_writes_per_request:.4f} "
        f"({measured.db_writes} in {measured.requests - measured.errors}) · floor "
        f"{floor.db_writes_per_request:.4f}"
    )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    if args.json:

        def figures(r: Result) -> dict[str, float | int]:
            return {
                "req_per_s": r.throughput,
                "p50_ms": r.percentile(50),
                "p95_ms": r.percentile(95),
                "p99_ms": r.percentile(99),
                "errors": r.errors,
                "requests": r.requests,
                **{f"cpu_ms_per_request_{p}": r.cpu_ms_per_request(p) for p in CPU_PARTS},
                "db_writes_per_request": r.db_writes_per_request,
            }

        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "target": target.name,
                    "database": args.database,
                    "concurrency": args.concurrency,
                    "seconds": args.seconds,
                    "warmup": args.warmup,
                    "rounds": args.rounds,
                    "workers": args.workers,
                    "threads": args.threads,
                    "measured": figures(measured),
                    "floor": figures(floor),
                    "ratios": ratios,
                },
                indent=2,
            )
            + "\n"
        )
    return 1 if measured.errors or floor.errors else 0


if __name__ == "__main__":
    sys.exit(main())
