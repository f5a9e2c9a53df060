"""How the API knows who is calling: a signed-in session (with CSRF) or a personal access token.

A token is sent as ``Authorization: Bearer tend_…``. A read token may only use safe methods; an
expired or revoked token is refused like one that never existed.

Failed token attempts are counted, in fixed one-minute windows, per client address *and* token
prefix: a script stuck on a mistyped or revoked token is told to slow down (429, with a
``Retry-After`` that names the end of the window), while a valid token is never refused for
someone else's failures, even from the same address. (Guessing gains nothing anyway: a token
holds 256 random bits.) The token is looked up before any counter is read, so that when the
cache is down (Redis unreachable, see tend/core/cache.py) a valid token still works and a wrong
one is still refused with 401; only the counting stops.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from tend.api.models import ApiToken
from tend.api.selectors import token_active_for_secret
from tend.api.services import DISPLAY_PREFIX_LENGTH, token_touch
from tend.core.addresses import client_address
from tend.core.limits import count_attempt

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FAILED_BEARER_LIMIT = 20
FAILED_BEARER_WINDOW = 60  # seconds


class InvalidToken(AuthenticationError):
    invalid_token = True

    def __init__(self) -> None:
        super().__init__(
            401,
            gettext(
                "The token is not valid: it may be mistyped, expired, revoked, or belong to no one."
            ),
        )


def _failures_key(request: HttpRequest, secret: str) -> str:
    # The prefix is hashed: it is part of a secret (a wrong one, usually, but still), and a
    # hash keeps the key short and free of characters a cache might refuse.
    prefix = hashlib.sha256(secret[:DISPLAY_PREFIX_LENGTH].encode("utf-8", "replace"))
    return f"api:bearer-failures:{client_address(request)}:{prefix.hexdigest()[:16]}"


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. Any header that is present but wrong is a 401."""

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header)
        if value is None:
            return None  # not trying token auth: let session auth decide
        scheme, _, secret = value.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError(
                401, gettext("Send the token as “Authorization: Bearer <token>”.")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Unrevoked and of an active person; whether it has expired is judged here.
        api_token = token_active_for_secret(plaintext=token)
        if api_token is None or api_token.is_expired:
            failures = count_attempt(_failures_key(request, token), window=FAILED_BEARER_WINDOW)
            if failures.count > FAILED_BEARER_LIMIT:
                raise Throttled(wait=failures.seconds_left)
            raise InvalidToken()
        if not api_token.can_write and request.method not in SAFE_METHODS:
            raise AuthorizationError(
                403, gettext("This token can only read. Create a token with read and write access.")
            )
        token_touch(token=api_token)
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session. Unsafe methods must carry the CSRF token.

    Unlike ninja's ``django_auth``, an anonymous request is a 401 (not a CSRF 403), so that a
    client is told to authenticate before it is told about CSRF.
    """

    param_name = "sessionid"

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise AuthorizationError(
                403,
                gettext(
                    "The CSRF check failed. Send the X-CSRFToken header from the csrftoken cookie."
                ),
            )
        request.api_token = None  # type: ignore[attr-defined]
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth()
# Token first: a request that carries a token is judged by it, even inside a browser session.
default_auth = [token_auth, session_auth]


def current_token(request: HttpRequest) -> ApiToken | None:
    """The token this request was made with, or None for a session."""
    return getattr(request, "api_token", None)
