"""Authorization-matrix rows: practices, their pages and the API."""

from __future__ import annotations

from tend.core.tests.matrix.base import API_ALICES, API_OWN, OTHERS, Row, owned, page

PRACTICES: list[Row] = [
    # --- Practices -----------------------------------------------------------------------
    Row("practices/", "GET", "/practices/", page()),
    Row("practices/practice/<slug:code>/", "GET", "/practices/practice/long_exhale/", page()),
    Row("practices/own/", "GET", "/practices/own/", page()),
    Row("practices/own/new/", "GET", "/practices/own/new/", page()),
    # Without a name nothing is saved: the form asks again.
    Row("practices/own/new/", "POST", "/practices/own/new/", page(signed_in=400)),
    Row("practices/own/<uuid:id>/", "GET", "/practices/own/{own_practice}/", owned()),
    Row("practices/own/<uuid:id>/edit/", "GET", "/practices/own/{own_practice}/edit/", owned()),
    Row("practices/activated/", "GET", "/practices/activated/?intensity=8&state=fight", page()),
    Row(
        "practices/activated/save/",
        "POST",
        "/practices/activated/save/",
        page(signed_in=302),
        data={
            "practice_code": "long_exhale",
            "flow": "1",
            "intensity_before": "8",
            "intensity_after": "4",
        },
    ),
    Row("practices/history/", "GET", "/practices/history/", page()),
    Row(
        "practices/sessions/record/",
        "POST",
        "/practices/sessions/record/",
        page(signed_in=302),
        data={"practice_code": "box_breathing"},
    ),
    Row(
        "practices/sessions/<uuid:id>/",
        "GET",
        "/practices/sessions/{practice_session}/",
        owned(),
    ),
    Row("practices/together/", "POST", "/practices/together/", page(signed_in=302)),
    Row("practices/together/clock/", "GET", "/practices/together/clock/", page()),
    # A live link seats the first other person to open it (in this table, each persona in turn).
    Row("practices/together/<str:token>/", "GET", "/practices/together/{breath}/", page()),
    Row(
        "practices/together/<str:token>/",
        "GET",
        "/practices/together/{breath_ended}/",
        page(signed_in=410),
    ),
    Row(
        "practices/together/<str:token>/",
        "GET",
        "/practices/together/not-a-link/",
        page(signed_in=404),
    ),
    Row(
        "practices/together/<str:token>/status/",
        "GET",
        "/practices/together/{breath}/status/",
        page(),
    ),
    # By id, a shared breath opens for its host and the connection invited to it (here alice's
    # friend, none of the personas); to anyone else it is the same 404 as one that never was,
    # live, ended or missing.
    Row("practices/together/<uuid:id>/", "GET", "/practices/together/{breath_invited}/", owned()),
    Row(
        "practices/together/<uuid:id>/",
        "GET",
        "/practices/together/{breath_ended_id}/",
        owned(alice=410),
    ),
    Row(
        "practices/together/<uuid:id>/",
        "GET",
        "/practices/together/00000000-0000-4000-8000-000000000000/",
        page(signed_in=404),
    ),
    Row(
        "practices/together/<uuid:id>/status/",
        "GET",
        "/practices/together/{breath_invited}/status/",
        owned(),
    ),
    Row(
        "practices/together/<uuid:id>/end/",
        "POST",
        "/practices/together/{breath_invited}/end/",
        owned(alice=302),
    ),
    # Only the host may send the link, and only to an active connection of theirs.
    Row(
        "practices/together/<str:token>/invite/<uuid:connection_id>/",
        "POST",
        "/practices/together/{breath}/invite/{breath_invitee}/",
        owned(alice=302),
    ),
    Row(
        "practices/together/<str:token>/end/",
        "POST",
        "/practices/together/{breath}/end/",
        page(signed_in=302),
    ),
    Row("api/v1/practices", "GET", "/api/v1/practices", API_OWN),
    Row(
        "api/v1/practices/catalogue/<code>",
        "GET",
        "/api/v1/practices/catalogue/box_breathing",
        API_OWN,
    ),
    Row("api/v1/practices/own", "GET", "/api/v1/practices/own", API_OWN),
    Row(
        "api/v1/practices/own",
        "POST",
        "/api/v1/practices/own",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"name": "humming", "kind": "grounding"},
        json=True,
    ),
    Row(
        "api/v1/practices/own/<practice_id>",
        "GET",
        "/api/v1/practices/own/{own_practice}",
        API_ALICES,
    ),
    Row(
        "api/v1/practices/own/<practice_id>",
        "PATCH",
        "/api/v1/practices/own/{own_practice}",
        API_ALICES,
        data={"duration_seconds": 60},
        json=True,
    ),
    Row("api/v1/practices/sessions", "GET", "/api/v1/practices/sessions", API_OWN),
    Row(
        "api/v1/practices/sessions",
        "POST",
        "/api/v1/practices/sessions",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"practice_code": "walking", "intensity_before": 6, "intensity_after": 3},
        json=True,
    ),
    Row(
        "api/v1/practices/sessions/<session_id>",
        "GET",
        "/api/v1/practices/sessions/{practice_session}",
        API_ALICES,
    ),
    Row(
        "api/v1/practices/outcomes",
        "POST",
        "/api/v1/practices/outcomes",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 201)},
        data={"practice_code": "box_breathing", "intensity_before": 8, "intensity_after": 5},
        json=True,
    ),
    Row(
        "api/v1/practices/suggestions",
        "GET",
        "/api/v1/practices/suggestions?state=fight",
        API_OWN,
    ),
    # Last: these delete what the rows above read.
    Row(
        "api/v1/practices/own/<practice_id>",
        "DELETE",
        "/api/v1/practices/own/{own_practice}",
        owned(204, 401),
    ),
    Row(
        "practices/own/<uuid:id>/delete/",
        "POST",
        "/practices/own/{own_practice}/delete/",
        # Alice's was deleted through the API just above: hers is now as gone as anyone's.
        owned(alice=404),
    ),
]
