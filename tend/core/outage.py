"""Noticing that a helper service (Redis, the task queue) is down, and saying so once.

While Redis is unreachable every request would otherwise add a log line of its own, which
buries the one line an operator needs. ``Outage`` logs the first failure after a good spell
and the first success after a failure, nothing between. It also keeps callers from trying the
service again for a moment after it failed, so that a server that does not answer (a dropped
connection rather than a refused one) costs one connect timeout every few seconds, not one per
request.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("tend.outage")

# After a failure, callers skip the service for this long before trying again.
RETRY_AFTER_SECONDS = 2.0


class Outage:
    """The state of one helper service as this process last saw it."""

    def __init__(self, name: str, consequence: str) -> None:
        self.name = name
        self.consequence = consequence
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self.clock = time.monotonic  # tests move it

    def should_skip(self) -> bool:
        """Whether to answer without trying the service (it failed a moment ago)."""
        return self._down_since is not None and self.clock() < self._retry_at

    def failed(self, error: BaseException) -> None:
        with self._lock:
            now = self.clock()
            self._retry_at = now + RETRY_AFTER_SECONDS
            if self._down_since is not None:
                return
            self._down_since = now
        # The error's type only: a message may carry a host name, never anything a person wrote,
        # but one line per outage is all an operator needs to go and look.
        logger.warning(
            "%s is unreachable (%s): %s. Said once; Tend says so again when it is back.",
            self.name,
            type(error).__name__,
            self.consequence,
        )

    def succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            seconds = self.clock() - self._down_since
            self._down_since = None
        logger.warning("%s is reachable again after %.0f s.", self.name, seconds)

    def reset(self) -> None:
        """Forget any outage (tests)."""
        with self._lock:
            self._down_since = None
            self._retry_at = 0.0
