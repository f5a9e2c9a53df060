"""Coaching: alice's worksheets (as a practitioner) and a map handed to her.

Rows run in the order ``test_authorization_matrix.TABLE`` lists them (see there)."""

from __future__ import annotations

from tend.core.tests.matrix.base import (
    API_ALICES,
    API_OWN,
    Row,
    owned,
    page,
    redirect,
)

COACHING: list[Row] = [
    # --- Coaching: alice's worksheets (as a practitioner) and a map handed to her ---------
    Row(
        "coaching/calls/<uuid:id>/worksheet/",
        "GET",
        "/coaching/calls/{coach_call}/worksheet/",
        owned(),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/",
        "POST",
        "/coaching/calls/{coach_spare}/worksheet/",
        owned(alice=redirect("/coaching/calls/")),
        data={"story": "Edited"},
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/hand-over/",
        "POST",
        "/coaching/calls/{coach_spare}/worksheet/hand-over/",
        owned(alice=redirect("/coaching/calls/")),
    ),
    Row(
        "coaching/calls/<uuid:id>/worksheet/withdraw/",
        "POST",
        "/coaching/calls/{coach_spare}/worksheet/withdraw/",
        owned(alice=redirect("/coaching/calls/")),
    ),
    Row("coaching/maps/<uuid:id>/", "GET", "/coaching/maps/{coach_map}/", owned()),
    Row(
        "coaching/maps/<uuid:id>/",
        "POST",
        "/coaching/maps/{coach_map}/",
        owned(alice=redirect("/coaching/maps/")),
        data={"items": ["theme:1"]},
    ),
    Row("coaching/clients/", "GET", "/coaching/clients/", page()),
    Row("coaching/clients/<uuid:id>/", "GET", "/coaching/clients/{coach_client}/", owned()),
    Row(
        "coaching/clients/<uuid:id>/",
        "POST",
        "/coaching/clients/{coach_client}/",
        owned(alice=redirect("/coaching/clients/")),
        data={"text": "Ask about the weekend."},
    ),
    Row(
        "coaching/notes/<uuid:id>/",
        "POST",
        "/coaching/notes/{coach_note}/",
        owned(alice=redirect("/coaching/clients/")),
        data={"text": "Changed."},
    ),
    Row(
        "coaching/notes/<uuid:id>/delete/",
        "POST",
        "/coaching/notes/{coach_spare_note}/delete/",
        owned(alice=redirect("/coaching/clients/")),
    ),
    Row(
        "coaching/clients/<uuid:id>/archive/",
        "POST",
        "/coaching/clients/{coach_client}/archive/",
        owned(alice=redirect("/coaching/clients/")),
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet",
        "GET",
        "/api/v1/coaching/calls/{coach_call}/worksheet",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet",
        "PUT",
        "/api/v1/coaching/calls/{coach_spare}/worksheet",
        API_ALICES,
        data={"part": "The little one"},
        json=True,
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet/hand-over",
        "POST",
        "/api/v1/coaching/calls/{coach_spare}/worksheet/hand-over",
        {**API_ALICES, "alice": 201},
        json=True,
    ),
    Row(
        "api/v1/coaching/calls/<call_id>/worksheet/withdraw",
        "POST",
        "/api/v1/coaching/calls/{coach_spare}/worksheet/withdraw",
        {**API_ALICES, "alice": 204},
        json=True,
    ),
    Row("api/v1/coaching/maps", "GET", "/api/v1/coaching/maps", API_OWN),
    Row("api/v1/coaching/maps/<map_id>", "GET", "/api/v1/coaching/maps/{coach_map}", API_ALICES),
    Row(
        "api/v1/coaching/maps/<map_id>/bring",
        "POST",
        "/api/v1/coaching/maps/{coach_map}/bring",
        API_ALICES,
        data={"items": ["person:0"]},
        json=True,
    ),
    Row("api/v1/coaching/clients", "GET", "/api/v1/coaching/clients", API_OWN),
    Row(
        "api/v1/coaching/clients/<connection_id>/notes",
        "GET",
        "/api/v1/coaching/clients/{coach_client}/notes",
        API_ALICES,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/notes",
        "POST",
        "/api/v1/coaching/clients/{coach_client}/notes",
        {**API_ALICES, "alice": 201},
        data={"text": "Ask about the weekend."},
        json=True,
    ),
    Row(
        "api/v1/coaching/notes/<note_id>",
        "PUT",
        "/api/v1/coaching/notes/{coach_note}",
        API_ALICES,
        data={"text": "Changed."},
        json=True,
    ),
    Row(
        "api/v1/coaching/notes/<note_id>",
        "DELETE",
        "/api/v1/coaching/notes/{coach_note}",
        {**API_ALICES, "alice": 204},
        json=True,
    ),
    Row(
        "api/v1/coaching/clients/<connection_id>/archive",
        "POST",
        "/api/v1/coaching/clients/{coach_client}/archive",
        API_ALICES,
        data={"archived": True},
        json=True,
    ),
]
