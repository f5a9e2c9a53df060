"""What the benchmark harness measures inside the server (only when TEND_BENCH is set)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
WRITES_HEADER = "X-Bench-DB-Writes"


class DatabaseWritesMiddleware:
    """Counts the writing SQL statements each request runs and reports them in a header.

    Outermost in ``MIDDLEWARE`` (settings.py adds it first under TEND_BENCH), so the session's
    save and every other middleware's writes count too. The harness sums the header, so its
    "DB writes per request" covers every worker process at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = 0

        def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
            nonlocal writes
            if sql.lstrip()[:7].upper().startswith(WRITE_STATEMENTS):
                writes += 1
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response[WRITES_HEADER] = str(writes)
        return response
