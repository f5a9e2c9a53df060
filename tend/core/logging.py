"""Keep what a person wrote out of logs and error reports.

Tend never logs request bodies, and encrypted fields never reach a log record: the filter drops
the request object Django attaches to its records (it carries POST data), and the exception
reporter hides every POST value and local variable.
"""

from __future__ import annotations

import logging
from typing import Any

from django.views.debug import SafeExceptionReporterFilter


class PrivateDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # django.request and django.server attach the request; its body must never be formatted,
        # and its path ("Not Found: /rituals/calendar/<secret>.ics") is logged as its route.
        from django.http import HttpRequest

        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            from tend.core.middleware import route_of

            record.args = tuple(route_of(request) if a == request.path else a for a in record.args)
        if hasattr(record, "request"):
            record.request = None
        # Exceptions may carry values in their message (a validation error echoing input, say);
        # keep the type and the traceback's code locations, not the message text of the chain.
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            record.exc_info = (exc_type, _redacted(exc_type), tb)
            record.exc_text = None
        if record.args:
            record.args = (
                tuple(_redact(arg) for arg in record.args)
                if isinstance(record.args, tuple)
                else record.args
            )
        return True


def _redacted(exc_type: type[BaseException]) -> BaseException:
    """An exception of the same type with no message (and so no chained causes either)."""
    try:
        return exc_type("[redacted]")
    except Exception:
        # Some exception types demand other arguments; name the type in a stand-in instead.
        return RuntimeError(f"{exc_type.__name__}: [redacted]")


def _redact(arg: Any) -> Any:
    # Request and response objects can render their body; log only their class.
    from django.http import HttpRequest, HttpResponseBase

    if isinstance(arg, HttpRequest | HttpResponseBase):
        return f"<{type(arg).__name__}>"
    return arg


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (500 emails, DEBUG pages) show no POST data and no local variables."""

    def get_post_parameters(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return dict.fromkeys(tb_frame.f_locals, self.cleansed_substitute).items()
