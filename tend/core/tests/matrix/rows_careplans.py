"""Authorization-matrix rows: care plans and repair, pages and API."""

from __future__ import annotations

from tend.core.tests.matrix.base import API_ALICES, API_OWN, OTHERS, Row, owned, page

CAREPLANS: list[Row] = [
    # --- Care plans and repair (a plan of alice's with gale; a proposal waiting for her) ------
    Row("careplans/", "GET", "/careplans/", page()),
    Row("careplans/new/", "GET", "/careplans/new/", page()),
    Row("careplans/<uuid:id>/", "GET", "/careplans/{plan}/", owned()),
    Row("careplans/<uuid:id>/propose/", "GET", "/careplans/{plan}/propose/", owned()),
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/",
        "GET",
        "/careplans/{plan}/versions/{plan_version}/",
        owned(),
    ),
    Row("careplans/<uuid:id>/history/", "GET", "/careplans/{plan}/history/", owned()),
    Row("careplans/<uuid:id>/guide/", "GET", "/careplans/{plan}/guide/", owned()),
    Row(
        "careplans/<uuid:id>/review/",
        "POST",
        "/careplans/{plan}/review/",
        owned(alice=302),
        data={"review_on": "2026-06-01"},
    ),
    # Version 1 is no longer open to agree to: alice is told so (302), others get 404.
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/agree/",
        "POST",
        "/careplans/{plan}/versions/{plan_version}/agree/",
        owned(alice=302),
    ),
    Row(
        "careplans/<uuid:id>/versions/<uuid:version_id>/decline/",
        "POST",
        "/careplans/{plan}/versions/{plan_version}/decline/",
        owned(alice=302),
    ),
    Row("careplans/<uuid:id>/withdraw/", "POST", "/careplans/{plan}/withdraw/", owned(alice=302)),
    Row("careplans/repair/", "GET", "/careplans/repair/", page()),
    Row("careplans/repair/pause/", "POST", "/careplans/repair/pause/", page(signed_in=404)),
    Row("careplans/repair/<uuid:id>/", "GET", "/careplans/repair/{repair}/", owned()),
    Row(
        "careplans/repair/<uuid:id>/debrief/",
        "POST",
        "/careplans/repair/{repair}/debrief/",
        owned(alice=302),
        data={"my_part": "x"},
    ),
    Row("api/v1/careplans", "GET", "/api/v1/careplans", API_OWN),
    Row(
        "api/v1/careplans",
        "POST",
        "/api/v1/careplans",
        {"anonymous": 401, **dict.fromkeys(("alice", *OTHERS), 404)},
        data={"connection_ids": ["00000000-0000-4000-8000-000000000000"]},
        json=True,
    ),
    Row("api/v1/careplans/<plan_id>", "GET", "/api/v1/careplans/{plan}", API_ALICES),
    Row(
        "api/v1/careplans/<plan_id>/versions",
        "GET",
        "/api/v1/careplans/{plan}/versions",
        API_ALICES,
    ),
    Row(
        "api/v1/careplans/<plan_id>/versions/<version_id>",
        "GET",
        "/api/v1/careplans/{plan}/versions/{plan_version}",
        API_ALICES,
    ),
    # A tender place must belong to someone in the plan: alice's empty owner is a 422.
    Row(
        "api/v1/careplans/<plan_id>/proposals",
        "POST",
        "/api/v1/careplans/{plan}/proposals",
        {"anonymous": 401, "alice": 422, **dict.fromkeys(OTHERS, 404)},
        data={"places": [{"owner": "00000000-0000-4000-8000-000000000000", "name": "x"}]},
        json=True,
    ),
    Row(
        "api/v1/careplans/<plan_id>/versions/<version_id>/agreement",
        "POST",
        "/api/v1/careplans/{plan}/versions/{plan_proposal}/agreement",
        API_ALICES,
    ),
    Row(
        "api/v1/careplans/<plan_id>/agreement",
        "DELETE",
        "/api/v1/careplans/{plan}/agreement",
        owned(204, 401),
    ),
]
