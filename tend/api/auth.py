"""How the API knows who is calling: a signed-in session (with CSRF) or a personal access token.

A token is sent as ``Authorization: Bearer tend_…``. A read token may only use safe methods.
Failed token attempts are counted per client address, so a token cannot be guessed by brute
force (it could not anyway: it holds 256 random bits, but the counter also keeps noise down).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from tend.api.models import ApiToken
from tend.api.selectors import token_active_for_secret
from tend.api.services import token_touch

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FAILED_BEARER_LIMIT = 20
FAILED_BEARER_WINDOW = 60  # seconds


class InvalidToken(AuthenticationError):
    invalid_token = True

    def __init__(self) -> None:
        super().__init__(
            401, "The token is not valid: it may be mistyped, revoked, or belong to no one."
        )


def _client_ip(request: HttpRequest) -> str:
    # allauth's view of the client address, so that the login and API limits agree on who a
    # client is behind the same trusted proxies (ALLAUTH_TRUSTED_PROXY_COUNT).
    try:
        return str(get_adapter(request).get_client_ip(request))
    except PermissionDenied:
        return "unknown"


def _failures_key(request: HttpRequest) -> str:
    return f"api:bearer-failures:{_client_ip(request)}"


def _note_failure(request: HttpRequest) -> None:
    key = _failures_key(request)
    # add() starts the window only once; incr() then counts within it, atomically on Redis.
    cache.add(key, 0, timeout=FAILED_BEARER_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # the entry expired between add() and incr()
        cache.set(key, 1, timeout=FAILED_BEARER_WINDOW)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. Any header that is present but wrong is a 401."""

    def __call__(self, request: HttpRequest) -> Any:
        value = request.headers.get(self.header)
        if value is None:
            return None  # not trying token auth: let session auth decide
        scheme, _, secret = value.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError(
                401, "Send the token as “Authorization: Bearer <token>”."
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if (cache.get(_failures_key(request)) or 0) >= FAILED_BEARER_LIMIT:
            raise Throttled(wait=FAILED_BEARER_WINDOW)
        api_token = token_active_for_secret(plaintext=token)
        if api_token is None:
            _note_failure(request)
            raise InvalidToken()
        if not api_token.can_write and request.method not in SAFE_METHODS:
            raise AuthorizationError(
                403, "This token can only read. Create a token with read and write access."
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
                403, "The CSRF check failed. Send the X-CSRFToken header from the csrftoken cookie."
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
