"""``python -m bench.booking_slots``: a month of free slots against its floor.

A practitioner in Europe/Berlin works Monday to Friday, 09:00-12:00 and 13:00-17:30, with one
day off and one day of other hours. The measured call is ``free_slots`` for a 31-day window
(which spans the October clock change) with ``--busy`` busy intervals from an external
calendar spread over ``--busy-days`` days from the window's start (31: all inside the window,
the worst case) and ``--taken`` bookings spread over the two years around it. The floor is the
same call with no busy times and no bookings: what working hours, alignment and clock changes
cost alone. It prints p50/p95 of each and their ratio.

    python -m bench.booking_slots --rounds 200
"""

from __future__ import annotations

import argparse
import random
import statistics
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tend.booking.slots import Availability, CallRules, Hours, Taken, free_slots


def scene(
    busy_count: int, taken_count: int, seed: int, busy_days: int = 31
) -> tuple[dict[str, object], list[tuple[datetime, datetime]], list[Taken]]:
    rng = random.Random(seed)
    zone = ZoneInfo("Europe/Berlin")
    workday = (Hours(time(9), time(12)), Hours(time(13), time(17, 30)))
    availability = Availability(
        zone=zone,
        weekly=dict.fromkeys(range(5), workday),
        overrides={date(2026, 10, 14): (), date(2026, 10, 21): (Hours(time(14), time(20)),)},
    )
    rules = CallRules(
        duration=timedelta(minutes=30),
        buffer_before=timedelta(minutes=10),
        buffer_after=timedelta(minutes=10),
        min_notice=timedelta(hours=12),
        horizon=timedelta(days=60),
        daily_limit=6,
        step=timedelta(minutes=15),
    )
    now = datetime(2026, 10, 5, 8, tzinfo=UTC)
    window_start = datetime(2026, 10, 5, tzinfo=UTC)
    window_end = window_start + timedelta(days=31)
    busy = []
    for _ in range(busy_count):
        start = window_start + timedelta(minutes=5 * rng.randrange(busy_days * 24 * 12))
        busy.append((start, start + timedelta(minutes=rng.choice((15, 30, 45, 60, 90)))))
    taken = []
    two_years_ago = window_start - timedelta(days=600)
    for _ in range(taken_count):
        start = two_years_ago + timedelta(minutes=30 * rng.randrange(730 * 48))
        taken.append(
            Taken(
                start=start,
                end=start + timedelta(minutes=30),
                buffer_before=timedelta(minutes=10),
                buffer_after=timedelta(minutes=10),
            )
        )
    taken.sort(key=lambda t: t.start)
    call = {
        "availability": availability,
        "rules": rules,
        "now": now,
        "window_start": window_start,
        "window_end": window_end,
    }
    return call, busy, taken


def timed(run: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = clock.perf_counter()
        run()
        times.append((clock.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    cut = statistics.quantiles(times, n=100, method="inclusive")
    return statistics.median(times), cut[94]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.booking_slots", description=__doc__)
    parser.add_argument("--busy", type=int, default=5_000, help="busy intervals in the window")
    parser.add_argument("--busy-days", type=int, default=31, help="days the busy times span")
    parser.add_argument("--taken", type=int, default=1_500, help="bookings over two years")
    parser.add_argument("--rounds", type=int, default=200, help="timed runs of each, in rotation")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    call, busy, taken = scene(args.busy, args.taken, args.seed, args.busy_days)

    def full() -> list[datetime]:
        return free_slots(**call, busy=busy, taken=taken)  # type: ignore[arg-type]

    def floor() -> list[datetime]:
        return free_slots(**call)  # type: ignore[arg-type]

    offered, open_hours = len(full()), len(floor())
    for _ in range(5):  # warm up
        full()
        floor()
    full_times: list[float] = []
    floor_times: list[float] = []
    for _ in range(args.rounds):
        full_times += timed(full, 1)
        floor_times += timed(floor, 1)
    (full_p50, full_p95), (floor_p50, floor_p95) = summary(full_times), summary(floor_times)
    print(
        f"Tend bench: a month of free slots · {args.busy:,} busy intervals over "
        f"{args.busy_days} days · "
        f"{args.taken:,} bookings over two years · {args.rounds} runs each, in rotation"
    )
    print(f"{'':>22} {'p50 ms':>8} {'p95 ms':>8} {'slots':>6}")
    print(f"{'busy + bookings':>22} {full_p50:>8.2f} {full_p95:>8.2f} {offered:>6}")
    print(f"{'floor (hours only)':>22} {floor_p50:>8.2f} {floor_p95:>8.2f} {open_hours:>6}")
    print(f"{'ratio to floor':>22} {full_p50 / floor_p50:>8.1f} {full_p95 / floor_p95:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
