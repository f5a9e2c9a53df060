"""The one NinjaAPI instance, mounted at /api/v1/. Each domain app contributes its own router.

To add endpoints, an app builds ``router = Router(tags=[...])`` in its own ``api.py``, uses
``tend.api.schemas.Schema`` for bodies and ``tend.api.pagination`` for lists, and is added
below with ``api.add_router("/<things>", router)``. Every endpoint requires authentication by
default (a session with CSRF, or a bearer token); errors are problem documents
(``tend.api.errors``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.translation import gettext
from ninja import NinjaAPI, Query, Router, Status, Swagger

from tend.api import errors
from tend.api.auth import default_auth, session_auth, token_auth
from tend.api.pagination import PageParams, paginate
from tend.api.parser import TendParser
from tend.api.schemas import MeOut, Page, Problem, TokenCreatedOut, TokenCreateIn, TokenOut
from tend.api.selectors import token_of, tokens_of
from tend.api.services import token_create, token_revoke
from tend.booking.api import router as booking_router
from tend.careplans.api import router as careplans_router
from tend.connections.api import invitations_router, shared_router, shares_router
from tend.connections.api import router as connections_router
from tend.insights.api import router as insights_router
from tend.journal.api import router as moments_router
from tend.journal.api import vocabulary_router
from tend.journal.people_api import router as people_router
from tend.journal.theme_api import router as themes_router
from tend.journal.transfer_api import router as transfer_router
from tend.notifications.api import router as notifications_router
from tend.practices.api import router as practices_router
from tend.rituals.api import router as rituals_router


class TendSwagger(Swagger):
    """Swagger UI from our own static files, on a page that passes the strict CSP."""

    template = "api/docs.html"


def _with_problems(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn what ninja answers outside its exception handlers (405, 404) into problems."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not _is_problem(response):
            return errors.problem(
                405,
                gettext("This address does not accept %(method)s.") % {"method": request.method},
                headers={"Allow": response.get("Allow", "")},
            )
        return response

    return wrapped


def _is_problem(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith(errors.PROBLEM_CONTENT_TYPE)


@login_not_required
def _unknown_path(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return errors.problem(404, gettext("There is no API endpoint at this address."))


class TendAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns: list[URLResolver | URLPattern] = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                continue  # replaced below: ninja's root raises an HTML 404
            if isinstance(pattern, URLPattern):
                callback = _with_problems(pattern.callback)
                # The API authenticates for itself (401 problems, not login redirects).
                callback.login_required = False  # type: ignore[attr-defined]
                callback.csrf_exempt = True  # type: ignore[attr-defined]
                pattern.callback = callback
            patterns.append(pattern)
        patterns.append(path("", _unknown_path, name="api-root"))
        patterns.append(re_path(r"^.*$", _unknown_path))
        return patterns

    def validation_error_from_error_contexts(self, error_contexts: list[Any]) -> Any:
        # A single body schema arrives wrapped under its parameter name, which would make the
        # location "body.body.name"; the client sent "name" at the top of its body.
        exc = super().validation_error_from_error_contexts(error_contexts)
        wrappers = {
            getattr(context.model, "__read_from_single_attr__", None) for context in error_contexts
        } - {None}
        for error in exc.errors:
            loc = tuple(error.get("loc", ()))
            if len(loc) >= 2 and loc[0] == "body" and loc[1] in wrappers:
                error["loc"] = ("body", *loc[2:])
        return exc

    def get_openapi_operation_id(self, operation: Any) -> str:
        # Handler names are unique across the API and read well in generated clients.
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem_schema.pop("$defs", {}).items():
            components[name] = definition
        components["Problem"] = problem_schema
        problem_content = {
            errors.PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                # ninja keys its responses by int while ``openapi_extra`` uses strings; both
                # would serialise as "200", and duplicate keys break YAML parsers (Swagger UI).
                responses: dict[str, Any] = {}
                for code, response in operation.get("responses", {}).items():
                    responses[str(code)] = {**responses.get(str(code), {}), **response}
                operation["responses"] = responses
                for code, response in responses.items():
                    if str(code).startswith(("4", "5")):
                        response["content"] = problem_content
                responses.setdefault(
                    "default",
                    {"description": "A problem (RFC 9457)", "content": problem_content},
                )
        return schema


api = TendAPI(
    title="Tend API",
    version="1",
    description=(
        "Tend's API. Authenticate with a signed-in session (send X-CSRFToken on changes) or a "
        "personal access token from Settings → API tokens, as `Authorization: Bearer <token>`. "
        "Lists are paged with cursors: pass `next_cursor` back as `?cursor=`. Errors are "
        "RFC 9457 problem documents (application/problem+json)."
    ),
    urls_namespace="api",
    auth=default_auth,
    docs=TendSwagger(),
    docs_decorator=login_not_required,
    parser=TendParser(),
)
errors.install(api)


# --- The person themself --------------------------------------------------------------------

me_router = Router(tags=["me"])


@me_router.get("", response=MeOut, summary="Who am I")
def me(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# --- Personal access tokens -----------------------------------------------------------------

tokens_router = Router(tags=["tokens"])


@tokens_router.get("", response=Page[TokenOut], summary="List your tokens")
def tokens_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(tokens_of(user=request.auth), page=page)  # type: ignore[attr-defined]


@tokens_router.post("", response={201: TokenCreatedOut}, summary="Create a token")
def tokens_create(request: HttpRequest, body: TokenCreateIn) -> Any:
    # A read token never gets here: the auth refuses unsafe methods for it (403).
    token, plaintext = token_create(
        user=request.auth,  # type: ignore[attr-defined]
        name=body.name,
        scope=body.scope,
        expires_in_days=body.expires_in_days,
    )
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": plaintext})


@tokens_router.delete("/{token_id}", response={204: None}, summary="Revoke a token")
def tokens_revoke(request: HttpRequest, token_id: uuid.UUID) -> Any:
    token = token_of(user=request.auth, token_id=token_id)  # type: ignore[attr-defined]
    token_revoke(actor=request.auth, token=token)  # type: ignore[attr-defined]
    return Status(204, None)


api.add_router("/me", me_router)
api.add_router("/tokens", tokens_router)
# Before the moments router, whose /{moment_id} would otherwise take "export" for an id.
api.add_router("/moments", transfer_router)
api.add_router("/moments", moments_router)
api.add_router("/vocabulary", vocabulary_router)
api.add_router("/themes", themes_router)
api.add_router("/people", people_router)
# Each app below owns the paths under its prefix; see its api.py.
api.add_router("/insights", insights_router)
api.add_router("/practices", practices_router)
api.add_router("/connections", connections_router)
api.add_router("/invitations", invitations_router)
api.add_router("/shares", shares_router)
api.add_router("/shared-with-me", shared_router)
api.add_router("/careplans", careplans_router)
api.add_router("/rituals", rituals_router)
api.add_router("/notifications", notifications_router)
# Public (auth=None) and manage-secret endpoints beside the practitioner's own; see its api.py.
api.add_router("/booking", booking_router)

__all__ = ["api", "session_auth", "token_auth"]
