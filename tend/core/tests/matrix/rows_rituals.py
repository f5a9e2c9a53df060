"""Authorization-matrix rows: rituals and check-ins, pages and API."""

from __future__ import annotations

from tend.core.tests.matrix.base import API_ALICES, API_OWN, OTHERS, Row, owned, page, public

RITUALS: list[Row] = [
    # --- Rituals and check-ins (alice's own ritual; a check-in with dave she answered) --------
    Row("rituals/", "GET", "/rituals/", page()),
    Row("rituals/new/", "GET", "/rituals/new/", page()),
    Row("rituals/<uuid:id>/", "GET", "/rituals/{ritual}/", owned()),
    # Not one of the ritual's times: alice is told so (302 with a message), others get 404.
    Row(
        "rituals/<uuid:id>/occurrences/",
        "POST",
        "/rituals/{ritual}/occurrences/",
        owned(alice=302),
        data={"original": "20260101T101000Z", "state": "done"},
    ),
    Row(
        "rituals/<uuid:id>/archive/",
        "POST",
        "/rituals/{ritual_spare}/archive/",
        owned(alice=302),
    ),
    Row("rituals/calendar/", "GET", "/rituals/calendar/", page()),
    # The secret is the key: whoever holds it reads the feed (times and kinds, never words).
    Row(
        "rituals/calendar/<str:secret>.ics",
        "GET",
        "/rituals/calendar/{feed_secret}.ics",
        public(),
    ),
    Row("rituals/checkins/", "GET", "/rituals/checkins/", page()),
    # Without a connection of one's own there is nothing to start.
    Row("rituals/checkins/start/", "POST", "/rituals/checkins/start/", page(signed_in=404)),
    Row("rituals/checkins/<uuid:id>/", "GET", "/rituals/checkins/{checkin}/", owned()),
    Row(
        "rituals/checkins/<uuid:id>/answer/",
        "POST",
        "/rituals/checkins/{checkin}/answer/",
        owned(alice=302),
        data={"went_well": "again"},
    ),
    Row(
        "rituals/actions/<uuid:id>/done/",
        "POST",
        "/rituals/actions/{action_item}/done/",
        owned(alice=302),
    ),
    Row("api/v1/rituals", "GET", "/api/v1/rituals", API_OWN),
    Row(
        "api/v1/rituals",
        "POST",
        "/api/v1/rituals",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={
            "kind": "affirmation",
            "rrule": "FREQ=DAILY",
            "start_date": "2026-01-01",
            "start_time": "09:00",
        },
        json=True,
    ),
    Row("api/v1/rituals/checkins", "GET", "/api/v1/rituals/checkins", API_OWN),
    Row(
        "api/v1/rituals/checkins",
        "POST",
        "/api/v1/rituals/checkins",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"connection_id": "00000000-0000-4000-8000-000000000000"},
        json=True,
    ),
    Row(
        "api/v1/rituals/checkins/<checkin_id>",
        "GET",
        "/api/v1/rituals/checkins/{checkin}",
        API_ALICES,
    ),
    Row(
        "api/v1/rituals/checkins/<checkin_id>/answers",
        "POST",
        "/api/v1/rituals/checkins/{checkin}/answers",
        {"anonymous": 401, "alice": 409, **dict.fromkeys(OTHERS, 404)},
        data={"went_well": "again"},
        json=True,
    ),
    Row("api/v1/rituals/<ritual_id>", "GET", "/api/v1/rituals/{ritual}", API_ALICES),
    Row("api/v1/rituals/<ritual_id>", "DELETE", "/api/v1/rituals/{ritual_api}", owned(204, 401)),
    Row(
        "api/v1/rituals/<ritual_id>/occurrences",
        "GET",
        "/api/v1/rituals/{ritual}/occurrences",
        API_ALICES,
    ),
    Row(
        "api/v1/rituals/<ritual_id>/occurrences",
        "POST",
        "/api/v1/rituals/{ritual}/occurrences",
        {"anonymous": 401, "alice": 422, **dict.fromkeys(OTHERS, 404)},
        data={"original": "2026-01-01T10:10:00Z", "state": "done"},
        json=True,
    ),
]
