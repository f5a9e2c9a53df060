"""Pages and other text answers go out gzipped to browsers that accept it.

Django's ``GZipMiddleware`` does the work, including its BREACH mitigation (a random number of
bytes in the gzip header, so that the length of a response no longer tells an attacker how well
their guess compressed against a secret on the page). It sits just below WhiteNoise in
``MIDDLEWARE``: static files are answered by WhiteNoise above it, already compressed on disk
(``.gz``/``.br`` made by collectstatic) or left alone, and never gzipped again per request.

That padding only adds noise, so a page that echoes what its address asks for (the journal's
search words and filters) next to what a person wrote is not compressed when the browser's
session cookie signed the request: another site could make the browser ask for it again and
again with guesses in the address and watch the sizes go by. A bearer token is never sent by a
browser on its own, so API answers to a token are compressed whatever their address.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# What gains from gzip: markup, JSON, scripts, calendars, CSV, SVG. Not PDFs and images, whose
# contents are compressed already (gzip would spend CPU to make them larger).
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/json",
        "application/problem+json",
        "application/manifest+json",
        "application/javascript",
        "image/svg+xml",
    }
)
# Below this a compressed answer saves less than a TCP packet, while compressing still costs
# CPU on every request (most API answers are smaller).
MIN_COMPRESSED_LENGTH = 1024


class TextCompressionMiddleware(GZipMiddleware):
    """``GZipMiddleware`` for text answers of at least 1 KiB; streamed answers pass untouched."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.streaming:
            # Streams are read as they go (an event stream, a large download): compressing
            # them would buffer or delay what the client is waiting for.
            return response
        media_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if not (media_type.startswith("text/") or media_type in COMPRESSIBLE_TYPES):
            return response
        if len(response.content) < MIN_COMPRESSED_LENGTH:  # type: ignore[attr-defined]
            return response
        if request.GET and _signed_in_by_cookie(request):
            return response
        return super().process_response(request, response)


def _signed_in_by_cookie(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
