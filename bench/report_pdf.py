"""``python -m bench.report_pdf``: how long the trigger map's PDF takes to build.

It sets up a throwaway stage (own data directory and SQLite database, or ``--database postgres``
with a database of its own), gives one person the demo journal (about six months, ``demo``'s
seed 7), and times in one process, ``--rounds`` times each, for the last ``--days`` days with
every section: the map itself (``trigger_map``, the floor the PDF cannot go below) and the whole
PDF (the map, the charts in print colours, the template and WeasyPrint's tagged PDF/UA-1). It
prints p50/p95 of each, the PDF's pages and size. Figures only: nothing here passes or fails.

    python -m bench.report_pdf --rounds 10
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from typing import Any

from bench.server import Stage

PG_DB = "tend_bench_report"
SECTIONS = ("themes", "body", "helps", "time", "people", "trends", "glimmers", "patterns")


def _timed(run: Callable[[], Any], rounds: int) -> tuple[list[float], Any]:
    times, last = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        last = run()
        times.append((time.perf_counter() - started) * 1000)
    return times, last


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _pages(pdf: bytes) -> int | str:
    """The PDF's page count, by pdfinfo (poppler) if it is installed."""
    import shutil

    binary = shutil.which("pdfinfo")
    if not binary:
        return "?"
    done = subprocess.run([binary, "-"], input=pdf, capture_output=True, check=False)
    found = [line for line in done.stdout.decode().splitlines() if line.startswith("Pages:")]
    return int(found[0].split()[1]) if found else "?"


def measure(email: str, rounds: int, days: int) -> dict[str, Any]:
    """Inside the stage's environment: seed the demo journal, then time the map and the PDF."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import datetime as dt

    import django

    django.setup()
    from django.utils import timezone

    from tend.accounts.models import User
    from tend.insights.report import render_pdf
    from tend.insights.selectors import trigger_map
    from tend.journal.management.commands.demo import populate

    user = User.objects.get(email=email)
    user.time_zone = "Europe/Berlin"
    user.save(update_fields=["time_zone"])
    moments = populate(user=user, seed=7)
    end = timezone.now()
    start = end - dt.timedelta(days=days)

    def the_map() -> Any:
        return trigger_map(owner=user, start=start, end=end)

    def the_pdf() -> bytes:
        return render_pdf(the_map(), sections=SECTIONS, stories=None)

    the_pdf()  # warm-up: fonts, templates and WeasyPrint's first import
    map_ms, _ = _timed(the_map, rounds)
    pdf_ms, pdf = _timed(the_pdf, rounds)
    return {
        "moments": moments,
        "rounds": rounds,
        "days": days,
        "map_p50_ms": statistics.median(map_ms),
        "map_p95_ms": _p(map_ms, 0.95),
        "pdf_p50_ms": statistics.median(pdf_ms),
        "pdf_p95_ms": _p(pdf_ms, 0.95),
        "pdf_pages": _pages(pdf),
        "pdf_kib": round(len(pdf) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report_pdf", description=__doc__)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--rounds", type=int, default=10, help="timed builds of each")
    parser.add_argument("--days", type=int, default=90, help="the period, ending now")
    parser.add_argument("--measure", metavar="EMAIL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.rounds, args.days)))
        return 0
    with Stage(database=args.database, pg_database=PG_DB) as stage:
        stage.prepare(auth=True)
        done = stage.python(
            "bench.report_pdf",
            "--measure",
            stage.email,
            "--rounds",
            str(args.rounds),
            "--days",
            str(args.days),
        )
        if done.returncode != 0:
            raise RuntimeError(f"measuring failed:\n{done.stderr[-4000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"Tend bench: the trigger map's PDF · {args.database} · demo journal "
        f"({figures['moments']} moments), last {figures['days']} days, every section, "
        f"{figures['rounds']} rounds"
    )
    print(
        f"  map alone   p50 {figures['map_p50_ms']:8.1f} ms   p95 {figures['map_p95_ms']:8.1f} ms"
    )
    print(
        f"  whole PDF   p50 {figures['pdf_p50_ms']:8.1f} ms   p95 {figures['pdf_p95_ms']:8.1f} ms"
    )
    print(f"  the PDF: {figures['pdf_pages']} pages, {figures['pdf_kib']} KiB, tagged PDF/UA-1")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
