"""Pages and other text answers go out gzipped to browsers that accept it.

Django's ``GZipMiddleware`` does the work, including its BREACH mitigation (a random number of
bytes in the gzip header, so that the length of a response no longer tells an attacker how well
their guess compressed against a secret on the page). It sits just below WhiteNoise in
``MIDDLEWARE``: static files are answered by WhiteNoise above it, already compressed on disk
(``.gz``/``.br`` made by collectstatic) or left alone, and never gzipped again per request.
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
        return super().process_response(request, response)
