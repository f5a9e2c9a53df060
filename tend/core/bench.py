"""What the benchmark harness measures inside the server (only when TEND_BENCH is set)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
WRITES_HEADER = "X-Bench-DB-Writes"
# The writes inside one statement that starts with WITH (tend.core.prepared.run_together): each
# INSERT, DELETE or UPDATE of a table (an upsert's "DO UPDATE SET" is part of its INSERT).
WRITES_IN_WITH = re.compile(r'\b(?:INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+"?\w+"?\s+SET)\b', re.I)


def writes_in(sql: str) -> int:
    """How many table writes one SQL statement makes."""
    head = sql.lstrip()[:7].upper()
    if head.startswith(WRITE_STATEMENTS):
        return 1
    if head.startswith("WITH"):
        return len(WRITES_IN_WITH.findall(sql))
    return 0


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
            writes += writes_in(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response[WRITES_HEADER] = str(writes)
        return response
