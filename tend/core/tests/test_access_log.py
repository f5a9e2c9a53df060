"""The access log names a request by its route: a secret in a path never reaches it."""

from __future__ import annotations

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.core.management.commands.serve import ACCESS_LOG_FORMAT
from tend.core.middleware import ACCESS_ROUTE
from tend.rituals.services import feed_create

pytestmark = pytest.mark.django_db


def test_a_calendar_feed_is_logged_by_its_route_not_its_secret(alice: User) -> None:
    secret = feed_create(actor=alice)
    response = Client().get(f"/rituals/calendar/{secret}.ics")
    assert response.status_code == 200
    assert response.wsgi_request.META[ACCESS_ROUTE] == "/rituals/calendar/<str:secret>.ics"


def test_a_path_that_resolves_to_nothing_is_logged_as_a_dash() -> None:
    response = Client().get("/rituals/calendar/not/a-route-at-all")
    assert response.status_code == 404
    assert response.wsgi_request.META[ACCESS_ROUTE] == "-"


def test_tend_serve_logs_the_route_and_never_the_path_or_query() -> None:
    assert "%({tend.route}e)s" in ACCESS_LOG_FORMAT
    # gunicorn's atoms for the path, the query string and the whole request line.
    for atom in ("%(U)s", "%(q)s", "%(r)s"):
        assert atom not in ACCESS_LOG_FORMAT
