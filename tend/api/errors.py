"""Every API error is an RFC 9457 problem document (``application/problem+json``).

A problem says what went wrong in words a person can act on. It never echoes what was sent:
request bodies may hold someone's private words, and an unhandled error says nothing at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy, ngettext
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
    from ninja import NinjaAPI

logger = logging.getLogger("tend.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Problem types are names, not pages: a URN cannot be mistaken for something to fetch.
TYPE_BASE = "urn:tend:problem:"
WWW_AUTHENTICATE = 'Bearer realm="tend"'

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Not signed in"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    411: gettext_lazy("Length required"),
    413: gettext_lazy("Body too large"),
    414: gettext_lazy("URI too long"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Invalid input"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}
SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    411: "length-required",
    413: "body-too-large",
    414: "uri-too-long",
    415: "unsupported-media-type",
    422: "validation",
    429: "rate-limited",
    500: "server-error",
}


def problem(
    status: int,
    detail: str | StrOrPromise,
    *,
    title: str | StrOrPromise | None = None,
    slug: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """An RFC 9457 problem document; ``slug`` names a more precise ``type`` than the status's,
    and ``extra`` adds members of that type (RFC 9457 calls them extensions)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + (slug or SLUGS.get(status, "error")),
        "title": str(title or TITLES.get(status) or gettext("Error")),
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra or {})
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- Validation errors: ninja/pydantic error entries to messages a person can act on --------

_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not accepted here; remove it."),
    "string_type": gettext_lazy("Send text here."),
    "int_type": gettext_lazy("Send a whole number here."),
    "int_parsing": gettext_lazy("Send a whole number here."),
    "bool_type": gettext_lazy("Send true or false here."),
    "bool_parsing": gettext_lazy("Send true or false here."),
    "uuid_parsing": gettext_lazy("Send an id in UUID form, such as 2f1c…-…."),
    "uuid_type": gettext_lazy("Send an id in UUID form."),
    "model_type": gettext_lazy("Send a JSON object here."),
    "model_attributes_type": gettext_lazy("Send a JSON object here."),
    "dict_type": gettext_lazy("Send a JSON object here."),
    "list_type": gettext_lazy("Send a JSON list here."),
    "enum": gettext_lazy("Choose one of the allowed values."),
    "literal_error": gettext_lazy("Choose one of the allowed values."),
    "float_type": gettext_lazy("Send a number here."),
    "date_type": gettext_lazy("Send a day as text, such as 2026-05-01."),
    "datetime_type": gettext_lazy("Send a time as text, such as 2026-05-01T20:30:00+02:00."),
    "unstorable_text": gettext_lazy(
        "Remove the invisible control characters here: a NUL, or half of an emoji's pair, "
        "cannot be stored."
    ),
}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in {"enum", "literal_error"} and "expected" in ctx:
        return gettext("Choose one of: %(expected)s.") % {"expected": ctx["expected"]}
    if kind == "string_too_long" and "max_length" in ctx:
        limit = int(ctx["max_length"])
        return ngettext(
            "Keep this to %(limit)d character or fewer.",
            "Keep this to %(limit)d characters or fewer.",
            limit,
        ) % {"limit": limit}
    if kind == "string_too_short" and "min_length" in ctx:
        least = int(ctx["min_length"])
        return ngettext(
            "Write at least %(least)d character here.",
            "Write at least %(least)d characters here.",
            least,
        ) % {"least": least}
    if kind in {"less_than_equal", "less_than"} and ctx:
        return gettext("Send a number no larger than %(limit)s.") % {
            "limit": next(iter(ctx.values()))
        }
    if kind in {"greater_than_equal", "greater_than"} and ctx:
        return gettext("Send a number no smaller than %(limit)s.") % {
            "limit": next(iter(ctx.values()))
        }
    if kind in _MESSAGES:
        return str(_MESSAGES[kind])
    # pydantic's own message (English only) describes the rule, never the value that was sent.
    return str(error.get("msg") or gettext("This value is not valid."))


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``[{"location": "body.name", "message": "…"}]``, one entry per problem."""
    return [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "message": _message(error),
        }
        for error in errors
    ]


# --- Exception handlers ----------------------------------------------------------------------


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem(
        422,
        gettext(
            "Some of what was sent is not valid. Each entry in errors says where and how to fix it."
        ),
        errors=validation_errors(list(exc.errors)),
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        headers = {"Retry-After": str(exc.wait)} if exc.wait else {}
        return problem(
            429,
            str(exc.message) or gettext("Too many requests; wait and try again."),
            headers=headers,
        )
    if isinstance(exc, AuthenticationError):
        return _authentication(request, exc)
    if isinstance(exc.__cause__, ValidationError):
        # ninja wraps whatever the body parser raises as a 400; tend.api.parser refuses text
        # that cannot be stored, which is a 422 that says where.
        return _validation(request, exc.__cause__)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja wraps a body that json.loads refused (JSONDecodeError, UnicodeDecodeError).
        return problem(400, gettext("The body is not valid JSON."))
    return problem(exc.status_code, str(exc))


def _authentication(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = (
        str(exc)
        if str(exc) and str(exc) != "Unauthorized"
        else (
            gettext("Sign in, or send a personal access token as “Authorization: Bearer <token>”.")
        )
    )
    response = problem(401, detail)
    if getattr(exc, "invalid_token", False):
        response["WWW-Authenticate"] = WWW_AUTHENTICATE + ', error="invalid_token"'
    return response


def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # Services raise Django's ValidationError with messages written for people.
    if hasattr(exc, "error_dict"):
        entries = [
            {"location": f"body.{field}", "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        entries = [{"location": "body", "message": str(m)} for m in exc.messages]
    return problem(422, gettext("Some of what was sent is not valid."), errors=entries)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, gettext("There is nothing here, or it is not yours."))


def _permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(403, gettext("You are not allowed to do this."))


def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(413, gettext("The body is too large."))


def _unhandled(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Log the error type and where it happened; the traceback is scrubbed by the logging
    # filter, and the response says nothing about it.
    logger.exception("Unhandled API error on %s %s", request.method, _route(request))
    return problem(500, gettext("Something went wrong on our side. Please try again later."))


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else "?"


def install(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (Exception, _unhandled),
        (ValidationError, _validation),
        (HttpError, _http_error),
        (DjangoValidationError, _django_validation),
        (Http404, _not_found),
        (PermissionDenied, _permission_denied),
        (RequestDataTooBig, _too_big),
    ]
    for exc_class, handler in handlers:
        # ninja looks handlers up along the exception's MRO, so the most specific one wins.
        api.exception_handler(exc_class)(handler)
