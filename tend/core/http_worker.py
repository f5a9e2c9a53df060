"""The gunicorn worker ``tend serve`` runs: gunicorn's own, answering its refusals as problems.

gunicorn refuses a request line over ``limit_request_line`` (4094 bytes: a URL a little under
that) and headers over their limits before Django sees the request, with an HTML page. API
clients read errors as RFC 9457 problem documents, so these get one too.

Why answer here rather than raise the limit and answer from a Django middleware: the limit is
what bounds the memory one connection can take before anything is parsed, and gunicorn caps it
at 8190 anyway, so a middleware would still leave longer URLs to the HTML page. Answering at the
one place that refuses covers every length, with the limit kept.
"""

from __future__ import annotations

import json
from typing import Any

from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

# Kept in step with tend.api.errors (not imported: this runs before any request reaches Django).
PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:tend:problem:"

REFUSALS: tuple[tuple[type[Exception], int, str, str, str], ...] = (
    (
        LimitRequestLine,
        414,
        "URI too long",
        "uri-too-long",
        "The address is too long. Send long input in a request body instead.",
    ),
    (
        LimitRequestHeaders,
        431,
        "Headers too large",
        "headers-too-large",
        "The request's headers are too large or too many.",
    ),
)


def problem_response(exc: Exception) -> bytes | None:
    """The raw HTTP response for one of gunicorn's refusals in ``REFUSALS``, or None."""
    for kind, status, reason, slug, detail in REFUSALS:
        if isinstance(exc, kind):
            body = json.dumps(
                {"type": TYPE_BASE + slug, "title": reason, "status": status, "detail": detail}
            ).encode()
            head = (
                f"HTTP/1.1 {status} {reason}\r\n"
                "Connection: close\r\n"
                f"Content-Type: {PROBLEM_CONTENT_TYPE}\r\n"
                f"Content-Length: {len(body)}\r\n"
                "\r\n"
            )
            return head.encode("latin-1") + body
    return None


class ProblemThreadWorker(ThreadWorker):
    """gunicorn's threaded worker (what ``--threads`` picks), with refusals as problems."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: Exception) -> None:
        response = problem_response(exc)
        if response is None:
            super().handle_error(req, client, addr, exc)
            return
        # The kind of refusal only: the request line itself may carry someone's words.
        self.log.warning("Refused a request: %s", type(exc).__name__)
        try:
            client.sendall(response)
        except OSError:
            self.log.debug("Could not send the refusal.")
