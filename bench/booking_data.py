"""Seeded practitioners for the served booking benchmarks (bench/targets.py).

``busy``: works Monday to Friday 09:00-12:00 and 13:00-17:30 in Europe/Berlin, with 1,500
bookings over two years (one before today, one after) and an external calendar of 5,000 busy
events over the next year: the scene issue 13 names for the month of free slots.

``open``: works every day 00:00-23:00 UTC with no notice, no buffers and a year's horizon, so
that each of many booking requests can take a time of its own (``open_start``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

OPEN_SLOTS_A_DAY = 46  # 00:00-23:00 in 30-minute steps


def open_start(k: int, today: dt.date) -> str:
    """The k-th distinct free time of the ``open`` practitioner, from the day after `today`."""
    day = today + dt.timedelta(days=1 + k // OPEN_SLOTS_A_DAY)
    minutes = (k % OPEN_SLOTS_A_DAY) * 30
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    return start.strftime("%Y-%m-%dT%H:%M:%SZ")


def _practitioner(email: str, slug: str, zone: str) -> Any:
    from tend.accounts.models import User
    from tend.booking import services

    user = User.objects.create_user(email=email, password=None)
    profile = services.profile_turn_on(actor=user)
    services.profile_update(
        actor=user, profile=profile, slug=slug, time_zone=zone, public_name="Bench Practitioner"
    )
    return user


def seed_busy(*, bookings: int = 1_500, busy: int = 5_000, seed: int = 13) -> str:
    """Seed the ``busy`` practitioner; answer the default call type's id."""
    from django.utils import timezone

    from tend.booking import services
    from tend.booking.models import BusyInterval, CallType, ExternalCalendar

    rng = random.Random(seed)
    user = _practitioner("busy@bench.test", "bench-busy", "Europe/Berlin")
    for weekday in range(5):
        services.weekly_hours_set(
            actor=user,
            weekday=weekday,
            ranges=[(dt.time(9), dt.time(12)), (dt.time(13), dt.time(17, 30))],
        )
    call = CallType.objects.get(practitioner=user, is_default=True)
    CallType.objects.filter(id=call.id).update(horizon_days=365, min_notice_minutes=0)
    call.refresh_from_db()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    made = 0
    tries = 0
    while made < bookings and tries < bookings * 4:
        tries += 1
        # Any half hour of a working day over two years around today; a refused one
        # (outside hours, taken) is simply tried again elsewhere.
        start = now + dt.timedelta(minutes=30 * rng.randrange(-365 * 48, 365 * 48))
        try:
            services.booking_create(
                call_type=call,
                start=start,
                name="Bench Booker",
                email=f"booker{made}@bench.test",
                zone="Europe/Berlin",
                intake={"relationship": "open", "what_brings": "bench"},
                consents_ticked=[],
                now=start - dt.timedelta(days=1),
            )
        except (services.SlotError, services.ValidationError):
            continue
        made += 1
    calendar = ExternalCalendar(practitioner=user, url="https://calendar.example/bench.ics")
    calendar.save(force_insert=True)
    spans = []
    for _ in range(busy):
        start = now + dt.timedelta(minutes=15 * rng.randrange(0, 365 * 96))
        spans.append(
            BusyInterval(
                calendar=calendar,
                start=start,
                end=start + dt.timedelta(minutes=rng.choice((30, 60, 90))),
            )
        )
    BusyInterval.objects.bulk_create(spans)
    ExternalCalendar.objects.filter(id=calendar.id).update(
        status="ok", last_fetch_at=now, last_success_at=now
    )
    print(f"seeded {made} bookings and {busy} busy times")
    return str(call.id)


def seed_open() -> str:
    """Seed the ``open`` practitioner; answer the default call type's id."""
    from tend.booking import services
    from tend.booking.models import CallType

    user = _practitioner("open@bench.test", "bench-open", "UTC")
    for weekday in range(7):
        services.weekly_hours_set(actor=user, weekday=weekday, ranges=[(dt.time(0), dt.time(23))])
    call = CallType.objects.get(practitioner=user, is_default=True)
    CallType.objects.filter(id=call.id).update(
        horizon_days=365,
        min_notice_minutes=0,
        buffer_before_minutes=0,
        buffer_after_minutes=0,
        daily_limit=None,
        consents=[],
    )
    return str(call.id)
