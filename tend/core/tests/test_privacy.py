from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, RequestFactory

from tend.core.logging import PrivateDataFilter, PrivateExceptionReporterFilter

CANARY = "CANARY-partner-glanced-at-phone-7f3a"


@pytest.fixture
def configured_log() -> Iterator[io.StringIO]:
    """Point the configured console handlers (with their filters) at a buffer we can read."""
    buffer = io.StringIO()
    handlers = {
        handler
        for name in ("django", "tend", "")
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, logging.StreamHandler)
    }
    assert handlers, "the LOGGING setting configures no console handler"
    previous = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in previous.items():
        handler.setStream(stream)


@pytest.mark.urls("tend.core.tests.boom_urls")
def test_the_logs_never_carry_what_a_person_wrote(db: Any, configured_log: io.StringIO) -> None:
    client = Client(raise_request_exception=False)
    response = client.post("/boom/", {"cue": CANARY})
    assert response.status_code == 500
    logged = configured_log.getvalue()
    assert "Internal Server Error: /boom/" in logged  # the failure itself is logged
    assert "ValueError" in logged
    assert CANARY not in logged


@pytest.mark.urls("tend.core.tests.boom_urls")
def test_the_500_page_is_friendly_and_says_nothing_of_the_request(db: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.post("/boom/", {"cue": CANARY})
    assert b"Something went wrong on our side" in response.content
    assert CANARY.encode() not in response.content


def test_error_reports_hide_every_posted_value_and_local_variable() -> None:
    request = RequestFactory().post("/x/", {"cue": CANARY, "story": CANARY})
    reporter_filter = PrivateExceptionReporterFilter()
    posted = reporter_filter.get_post_parameters(request)
    assert set(posted) == {"cue", "story"}
    assert CANARY not in str(posted)

    def frame_holding_the_canary() -> Any:
        import sys

        cue = CANARY  # noqa: F841
        return sys._getframe()

    frame = frame_holding_the_canary()
    variables = reporter_filter.get_traceback_frame_variables(request, frame)
    assert CANARY not in str(variables)


def test_the_filter_drops_attached_requests_and_exception_messages() -> None:
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom %s", (1,), None)
    try:
        raise ValueError(CANARY)
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    record.request = RequestFactory().post("/x/", {"cue": CANARY})
    PrivateDataFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert CANARY not in formatted
    assert "ValueError" in formatted


def test_logging_a_moment_through_the_api_keeps_the_cue_out_of_the_logs(
    alice: Any, configured_log: io.StringIO
) -> None:
    import json

    from tend.conftest import client_for

    client = client_for(alice)
    body = {"kind": "activation", "cue": CANARY, "story": CANARY, "states": ["freeze"]}
    created = client.post("/api/v1/moments", json.dumps(body), content_type="application/json")
    refused = client.post(
        "/api/v1/moments",
        json.dumps({**body, "intensity": 11}),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert refused.status_code == 422
    assert CANARY not in refused.content.decode()  # the problem says what to fix, not what was sent
    assert CANARY not in configured_log.getvalue()


def test_a_not_found_path_is_logged_as_its_route_never_with_a_secret_in_it(
    db: Any, configured_log: io.StringIO
) -> None:
    assert Client().get("/rituals/calendar/SECRET-feed-4b1e.ics").status_code == 404
    assert Client().get("/nowhere/SECRET-typo-9c2d/").status_code == 404
    logged = configured_log.getvalue()
    assert "Not Found: /rituals/calendar/<str:secret>.ics" in logged
    assert "Not Found: -" in logged
    assert "SECRET" not in logged
