"""Counting attempts in fixed windows, in the shared cache: the one counter every limit uses.

A window's number is part of its key, so counting never extends the window (a sliding window,
where each ``incr`` may renew the entry's timeout on some cache backends, lets a steady trickle
hold a lock for ever) and the seconds it has left are exactly what ``Retry-After`` should say.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Count:
    count: int  # attempts in this window, this one included
    seconds_left: int  # until the window ends (at least 1)


def count_attempt(key: str, *, window: int) -> Count:
    """Count one attempt under ``key`` in the current ``window``-second window."""
    now = time.time()
    number = int(now // window)
    seconds_left = max(1, math.ceil((number + 1) * window - now))
    windowed = f"{key}:{number}"
    # add() starts the count only once; incr() then counts atomically on Redis.
    cache.add(windowed, 0, timeout=window)
    try:
        count = int(cache.incr(windowed))
    except ValueError:  # the entry expired between add() and incr(), or the cache is down
        cache.set(windowed, 1, timeout=window)
        count = 1
    return Count(count, seconds_left)
