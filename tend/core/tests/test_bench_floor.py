"""The benchmark's floor endpoint exists only when a benchmark asks for it (TEND_BENCH=1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory, override_settings

from tend.core.views import bench_floor


def test_the_floor_endpoint_is_not_found_without_tend_bench(client: Client, db: Any) -> None:
    assert client.post("/bench/floor").status_code == 404
    assert client.get("/bench/floor").status_code == 404


def test_the_floor_view_refuses_even_if_routed_without_tend_bench(db: Any) -> None:
    with pytest.raises(Http404):
        bench_floor(RequestFactory().post("/bench/floor"))


@override_settings(TEND_BENCH=True)
def test_the_floor_view_inserts_exactly_one_row(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_row (id INTEGER PRIMARY KEY, created_at "
            "TIMESTAMP NOT NULL)"
            if connection.vendor == "sqlite"
            else "CREATE TABLE IF NOT EXISTS bench_floor_row (id BIGSERIAL PRIMARY KEY, "
            "created_at TIMESTAMPTZ NOT NULL)"
        )
    response = bench_floor(RequestFactory().post("/bench/floor"))
    assert response.status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_floor_row")
        assert cursor.fetchone() == (1,)
