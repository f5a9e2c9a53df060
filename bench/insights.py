"""``python -m bench.insights``: the trigger map against its floor, with millions of rows around it.

It sets up a throwaway stage (own data directory, own database; ``--database postgres`` uses a
fresh ``tend_bench`` database), seeds ``--total`` moments of which three owners hold 1k, 5k and
20k (``--owners``), and measures in one process, in rotation, the map as the API builds it, kept
(asked for again) and cold (the first ask after a write), and an index-only count of the same
owner's moments in the same year (the floor). It prints p50/p95 of each, their ratios, and how
the map's time grows with the owner's moments.

    python -m bench.insights --database sqlite --total 2000000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from bench.server import Stage

# A database of its own name: another bench may be running.
PG_DB = "tend_bench_insights"


def run(stage: Stage, *args: str) -> dict[str, object]:
    done = stage.python("bench.insights_data", *args)
    if done.returncode != 0:
        raise RuntimeError(f"bench.insights_data {args[0]} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.insights", description=__doc__)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--total", type=int, default=2_000_000, help="rows in journal_moment")
    parser.add_argument("--owners", default="1000,5000,20000", help="the owners' moment counts")
    parser.add_argument("--rounds", type=int, default=30, help="timed runs of each, in rotation")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args(argv)
    with Stage(database=args.database, keep=args.keep, pg_database=PG_DB) as stage:
        stage.prepare(auth=False)
        seeded = run(stage, "seed", "--total", str(args.total), "--owners", args.owners)
        figures = run(stage, "measure", "--owners", args.owners, "--rounds", str(args.rounds))
    figures.update(seeded)
    figures["database"] = args.database
    sizes = figures["sizes"]
    assert isinstance(sizes, dict)
    print(
        f"Tend bench: trigger map vs floor (index-only count) · {args.database} · "
        f"{figures['total_rows']:,} moments in the table · {args.rounds} runs each, in rotation"
    )
    print(
        f"{'owner':>8} {'kept p50/p95':>13} {'cold p50/p95':>13} {'all p50/p95':>13} "
        f"{'floor p50/p95':>14} {'kept/floor':>11} {'cold/floor':>11} {'all/floor':>11} "
        f"{'cold cpu py+db':>15}"
    )

    def pair(f: dict[str, Any], name: str) -> str:
        return f"{f[name]['p50_ms']:.1f}/{f[name]['p95_ms']:.1f}"

    def ratio(f: dict[str, Any], name: str) -> str:
        return f"{f[f'ratio_{name}_p50']:.1f}/{f[f'ratio_{name}_p95']:.1f}"

    for size, f in sizes.items():
        cpu = f["cold_cpu_ms"]
        print(
            f"{int(size):>8,} {pair(f, 'kept'):>13} {pair(f, 'cold'):>13} "
            f"{pair(f, 'cold_all'):>13} {pair(f, 'floor'):>14} {ratio(f, 'kept'):>11} "
            f"{ratio(f, 'cold'):>11} {ratio(f, 'cold_all'):>11} "
            f"{cpu['python']:>7.1f}+{cpu['database']:<6.1f}"
        )
    print(
        "kept: the same map asked for again; cold: the first ask after a moment is logged; "
        "all: the first ask after a theme is deleted (every month counted again). "
        "Times in ms; ratios p50/p95 against the floor."
    )
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"seeding (s): {json.dumps(figures['seeded_seconds'])}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
