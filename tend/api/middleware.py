"""Refuse oversized API bodies before anything reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

API_PREFIX = "/api/"
# A journal import carries a whole journal as a multipart file; its own limit is checked again
# in tend/journal/transfer.py, with a message about the file. This leaves room for the envelope.
LARGER_BODY_LIMITS = {"/api/v1/moments/import": 5 * 1024 * 1024 + 64 * 1024}


class ApiBodyLimitMiddleware:
    """Answer 413 (a problem document) when an API request declares a body over the limit.

    The limit is ``settings.API_MAX_BODY_BYTES``. A body without a Content-Length (chunked
    transfer) is refused with 411: Django reads only as many bytes as Content-Length announces,
    so such a body would otherwise arrive silently empty.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        from tend.api.errors import problem

        raw_length = request.META.get("CONTENT_LENGTH") or ""
        if not raw_length:
            chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
            if chunked:
                return problem(
                    411, gettext("Send the body with a Content-Length header, not chunked.")
                )
            return None
        try:
            length = int(raw_length)
        except ValueError:
            return problem(400, gettext("The Content-Length header is not a number."))
        if length < 0:
            return problem(400, gettext("The Content-Length header is not a number."))
        limit = LARGER_BODY_LIMITS.get(request.path, settings.API_MAX_BODY_BYTES)
        if length > limit:
            return problem(
                413,
                gettext("The body is too large; send at most %(limit)d bytes.") % {"limit": limit},
            )
        return None
