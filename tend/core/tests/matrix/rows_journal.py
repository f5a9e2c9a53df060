"""The journal, and the insights map drawn from it."""

from __future__ import annotations

from tend.core.tests.matrix.base import API_OWN, CANARY, Row, owned, page

JOURNAL: list[Row] = [
    # --- Journal -------------------------------------------------------------------------
    Row("journal/", "GET", "/journal/", page()),
    Row("journal/new/", "GET", "/journal/new/", page()),
    Row("journal/new/who/", "GET", "/journal/new/who/", page()),
    Row("journal/<uuid:id>/", "GET", "/journal/{moment}/", owned()),
    Row("journal/<uuid:id>/edit/", "GET", "/journal/{moment}/edit/", owned()),
    Row(
        "journal/<uuid:id>/versions/<uuid:version_id>/",
        "GET",
        "/journal/{moment}/versions/{version}/",
        owned(),
    ),
    Row("journal/<uuid:id>/delete/", "POST", "/journal/{moment}/delete/", owned(alice=302)),
    Row("journal/<uuid:id>/restore/", "POST", "/journal/{moment}/restore/", owned(alice=302)),
    Row("journal/themes/", "GET", "/journal/themes/", page()),
    Row("journal/themes/", "POST", "/journal/themes/", page(signed_in=302), data={"name": "x"}),
    # Asked with alice's own words, only alice hears of her theme (the canary check below).
    Row(
        "journal/themes/suggest/",
        "POST",
        "/journal/themes/suggest/",
        page(),
        data={"cue": CANARY},
    ),
    Row(
        "api/v1/themes/suggest",
        "POST",
        "/api/v1/themes/suggest",
        API_OWN,
        data={"cue": CANARY},
        json=True,
    ),
    Row(
        "journal/themes/<uuid:id>/rename/",
        "POST",
        "/journal/themes/{theme}/rename/",
        owned(alice=302),
        data={"name": "renamed"},
    ),
    Row(
        "journal/themes/<uuid:id>/archive/",
        "POST",
        "/journal/themes/{theme}/archive/",
        owned(alice=302),
    ),
    Row("journal/people/", "GET", "/journal/people/", page()),
    Row("journal/people/", "POST", "/journal/people/", page(signed_in=302), data={"label": "x"}),
    Row(
        "journal/people/<uuid:id>/rename/",
        "POST",
        "/journal/people/{person}/rename/",
        owned(alice=302),
        data={"label": "renamed"},
    ),
    Row("journal/people/<uuid:id>/delete/", "GET", "/journal/people/{person}/delete/", owned()),
    # The spare person: alice's own person stays for the API rows below.
    Row(
        "journal/people/<uuid:id>/delete/",
        "POST",
        "/journal/people/{spare_person}/delete/",
        owned(alice=302),
    ),
]


INSIGHTS: list[Row] = [
    # --- Insights: each persona sees only their own map (alice's canary theme is in hers) ---
    Row("insights/", "GET", "/insights/", page()),
    Row("insights/report/", "GET", "/insights/report/?sections=themes", page()),
    Row("insights/report.pdf", "GET", "/insights/report.pdf", page()),
    Row("api/v1/insights/map", "GET", "/api/v1/insights/map", API_OWN),
    Row("api/v1/insights/report.pdf", "GET", "/api/v1/insights/report.pdf", API_OWN),
]
