"""Rate limits of the public booking form: per client address and per email address.

Counts live in the default cache (shared by every worker: the file cache or Redis), in fixed
hour windows (``tend.core.limits``). Only attempts that reach the booking service count, so a
visitor correcting a typo is not held back.
"""

from __future__ import annotations

from django.http import HttpRequest

from tend.booking.services import email_digest
from tend.core.addresses import client_address
from tend.core.limits import count_attempt

WINDOW = 3600  # seconds
PER_ADDRESS = 20  # booking attempts per client address per hour
PER_EMAIL = 5  # booking attempts per email address per hour


def booking_attempt_wait(request: HttpRequest, *, email: str) -> int:
    """Count one booking attempt; the seconds to wait once this address or email has made too
    many (the rest of the hour, for ``Retry-After``), else 0.

    The address is the house's (``tend.core.addresses``), as for sign-in and API tokens, so
    every limit agrees on who a client is behind the same trusted proxies."""
    by_address = count_attempt(f"booking:attempts:ip:{client_address(request)}", window=WINDOW)
    by_email = count_attempt(f"booking:attempts:email:{email_digest(email)}", window=WINDOW)
    over = [
        count.seconds_left
        for count, limit in ((by_address, PER_ADDRESS), (by_email, PER_EMAIL))
        if count.count > limit
    ]
    return max(over, default=0)
