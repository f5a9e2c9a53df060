"""Rate limits of the public booking form: per client address and per email address.

Counts live in the default cache (shared by every worker: the file cache or Redis), one
fixed window per key. Only attempts that reach the booking service count, so a visitor
correcting a typo is not held back.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from tend.booking.services import email_digest
from tend.core.addresses import client_address

WINDOW = 3600  # seconds
PER_ADDRESS = 20  # booking attempts per client address per hour
PER_EMAIL = 5  # booking attempts per email address per hour


def _count(key: str) -> int:
    # add() starts the window once; incr() counts within it, atomically on Redis.
    cache.add(key, 0, timeout=WINDOW)
    try:
        return int(cache.incr(key))
    except ValueError:  # the entry expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW)
        return 1


def booking_attempt_allowed(request: HttpRequest, *, email: str) -> bool:
    """Count one booking attempt; False once this address or this email has made too many.

    The address is the house's (``tend.core.addresses``), as for sign-in and API tokens, so
    every limit agrees on who a client is behind the same trusted proxies."""
    by_address = _count(f"booking:attempts:ip:{client_address(request)}")
    by_email = _count(f"booking:attempts:email:{email_digest(email)}")
    return by_address <= PER_ADDRESS and by_email <= PER_EMAIL
