"""Response headers every page of Tend carries: a strict CSP with a per-request nonce, and more."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "interest-cohort=()",
        "publickey-credentials-get=(self)",
        "publickey-credentials-create=(self)",
    ]
)


class SecurityHeadersMiddleware:
    """Adds CSP (with a nonce in ``request.csp_nonce``), Permissions-Policy and no-store caching.

    Pages for a signed-in person are never stored by the browser or a proxy, so the back button
    on a shared device does not bring a journal back after signing out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "; ".join(
                [
                    "default-src 'self'",
                    f"script-src 'self' 'nonce-{nonce}'",
                    f"style-src 'self' 'nonce-{nonce}'",
                    "img-src 'self' data:",
                    "font-src 'self'",
                    "connect-src 'self'",
                    "media-src 'self'",
                    "object-src 'none'",
                    "base-uri 'none'",
                    "form-action 'self'",
                    "frame-ancestors 'none'",
                    "manifest-src 'self'",
                    "worker-src 'self'",
                ]
            ),
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


# The WSGI environ key that `tend serve`'s access log prints instead of the path.
ACCESS_ROUTE = "tend.route"


class AccessRouteMiddleware:
    """Names each request in the access log by its route, never by its path.

    Some paths carry a secret (a calendar feed's, a breathing-together link's): the route
    pattern (``/rituals/calendar/<str:secret>.ics``) says which page was asked for without it.
    A path that resolved to no route is logged as ``-``, since a mistyped secret is still a
    secret; static files, which carry none, keep their path.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        request.META[ACCESS_ROUTE] = route_of(request)
        return response


def route_of(request: HttpRequest) -> str:
    """What logs may say of a request's path: its route, a static file's path, or ``-``."""
    from django.conf import settings

    if request.resolver_match is not None:
        return "/" + request.resolver_match.route
    if request.path.startswith(str(settings.STATIC_URL)):
        return request.path
    return "-"
