"""GET /api/v1/insights/map: the documented JSON, one's own data only, periods checked."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import client_for
from tend.insights.tests.test_map import journal  # noqa: F401 - the hand-built journal fixture

pytestmark = pytest.mark.django_db


def test_the_map_as_json_has_the_known_figures(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
) -> None:
    body = client_for(alice).get("/api/v1/insights/map?from=2026-03-01&to=2026-03-31").json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    assert (body["activations"], body["glimmers"], body["min_n"]) == (9, 2, 5)
    dinner = body["themes"][0]
    assert (dinner["name"], dinner["n"]) == ("phone at dinner", 5)
    assert dinner["intensity"] == {"n": 5, "median": 6.0, "q1": 4.0, "q3": 8.0, "enough": True}
    assert body["themes"][1]["intensity"]["enough"] is False
    assert body["body"]["activation"][0]["code"] == "chest"
    assert [h["label"] for h in body["helps"]] == ["Five breaths", "Walk"]
    assert body["helps"][1]["interval"] is None
    assert len(body["time_grid"]) == 7 and len(body["time_grid"][0]) == 24


def test_others_get_their_own_empty_map_never_alices(
    alice: User,
    bob: User,
    journal: dict[str, Any],  # noqa: F811
) -> None:
    body = client_for(bob).get("/api/v1/insights/map?from=2026-03-01&to=2026-03-31").json()
    # Bob's own single moment only; nothing of alice's themes or words.
    assert (body["activations"], body["glimmers"]) == (1, 0)
    assert "phone at dinner" not in str(body)
    assert [h["label"] for h in body["helps"]] == []


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-03-10&to=2026-03-01",
        "from=2026-03-01",
        "from=2020-01-01&to=2026-01-01",
        "from=9999-12-30&to=9999-12-31",
        "from=0001-01-01&to=0001-01-02",
    ],
)
def test_a_period_that_makes_no_sense_is_a_422(alice: User, query: str) -> None:
    response = client_for(alice).get(f"/api/v1/insights/map?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_is_documented_in_openapi(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/insights/map"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to"}
    assert "MapOut" in str(operation["responses"]["200"])
    assert "HelpOut" in schema["components"]["schemas"]
