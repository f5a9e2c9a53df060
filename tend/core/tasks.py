"""Background work: enqueue after commit, and the once-a-minute tick that periodic features hang on.

Tasks live in each app's ``tasks.py`` (``tend worker`` imports every one of them, through
djhuey's autodiscovery) and stay thin wrappers around services. Two helpers live here:

- ``enqueue_on_commit(task, ...)`` queues a task only once the surrounding transaction has
  committed, so a worker never looks for a row that is not there yet, and a rolled-back request
  sends nothing.
- ``@on_tick`` registers a hook that the periodic ``tick`` task calls every minute (reminders,
  digests, expiring invitations …). Register hooks in your app's ``tasks.py`` so the worker
  imports them. A hook must be idempotent and claim its rows with a conditional UPDATE, because
  a slow previous tick may still be running it.

Every worker runs huey's scheduler, so with several app servers (each ``tend serve`` starts a
worker) each one enqueues ``tick`` every minute. The tick therefore first claims its minute in
the database (``claim_slot``): the first claim runs the hooks, every other copy returns.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

import redis.exceptions
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tend.core.outage import Outage

logger = logging.getLogger(__name__)

TickHook = Callable[[], None]

# Hook name -> hook. Keyed by the dotted name so that re-importing a module (autoreload, tests)
# replaces a hook instead of running it twice.
_tick_hooks: dict[str, TickHook] = {}


# The queue lives in Redis when REDIS_URL is set; its outage is logged once, not per request.
queue_outage = Outage(
    "The task queue",
    "work queued by requests waits for the next tick of a worker instead of starting at once",
)


# What a queue that cannot be reached raises (Redis, or the SQLite queue's file). Anything else
# is a bug, which must surface rather than pass for an outage.
QUEUE_UNREACHABLE: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    sqlite3.OperationalError,
    OSError,
)


def enqueue_on_commit(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue ``task(*args, **kwargs)`` once the current transaction commits (now, outside one).

    Pass ids, not model instances or text: the arguments are stored in the queue, and the queue
    is no place for what a person wrote.

    Enqueueing runs after the commit, so whatever the request wrote is already stored: if the
    queue is unreachable (Redis down), the request must still answer with what it made, never a
    500 that would make a client think it failed. So a task queued here must only hurry work
    that a tick hook also does from the database (``deliver_now`` hurries the reminders that
    ``deliver_reminders`` sends every minute): losing the task delays that work, never loses it.
    """

    def enqueue() -> None:
        if queue_outage.should_skip():
            return  # it failed a moment ago: the tick will do the work
        try:
            task(*args, **kwargs)
        except QUEUE_UNREACHABLE as error:
            queue_outage.failed(error)
        else:
            queue_outage.succeeded()

    transaction.on_commit(enqueue)


def hook_name(hook: TickHook) -> str:
    return f"{hook.__module__}.{hook.__qualname__}"


def on_tick(hook: TickHook) -> TickHook:
    """Register ``hook`` to run on every tick (once a minute in ``tend worker``)."""
    _tick_hooks[hook_name(hook)] = hook
    return hook


def tick_hooks() -> dict[str, TickHook]:
    return dict(_tick_hooks)


def run_tick_hooks() -> list[str]:
    """Run every registered hook; return the names of those that failed.

    Each hook is isolated: one that raises is logged by name and the others still run. The log
    carries the hook's name and the exception's type only, never its message or traceback
    values, because either may quote what a person wrote.
    """
    failed: list[str] = []
    for name, hook in list(_tick_hooks.items()):
        try:
            hook()
        except Exception as error:
            failed.append(name)
            logger.error("Tick hook %s failed with %s", name, type(error).__name__)
    return failed


def claim_slot(name: str, slot: dt.datetime) -> bool:
    """Claim the periodic job ``name`` for ``slot``; True for exactly one caller per slot."""
    from tend.core.models import PeriodicRun

    _run, created = PeriodicRun.objects.get_or_create(name=name, defaults={"slot": slot})
    if created:
        return True
    # A conditional UPDATE: of several workers claiming the same slot, one changes the row.
    return PeriodicRun.objects.filter(name=name, slot__lt=slot).update(slot=slot) == 1


def tick_slot(now: dt.datetime | None = None) -> dt.datetime:
    """The minute a tick belongs to (every scheduler enqueues it at the start of the minute)."""
    return (now or timezone.now()).replace(second=0, microsecond=0)


@db_periodic_task(crontab(minute="*"))
def tick() -> None:
    if not claim_slot("tick", tick_slot()):
        logger.info("Tick of this minute already claimed by another worker")
        return
    run_tick_hooks()
