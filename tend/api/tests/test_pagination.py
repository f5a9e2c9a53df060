"""Cursor pagination: every row once, in order, however the pages are cut."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.api.pagination import PageParams, decode_cursor, encode_cursor, paginate
from tend.api.tests.conftest import TokenMaker
from tend.conftest import client_for


def test_pages_walk_every_token_once_newest_first(alice: User, make_token: TokenMaker) -> None:
    made = [make_token(alice, name=f"t{i}")[0] for i in range(5)]
    # Two tokens share a timestamp: the id breaks the tie, so neither is skipped nor repeated.
    same = timezone.now() - timedelta(days=1)
    ApiToken.objects.filter(id__in=[made[1].id, made[2].id]).update(created_at=same)
    client = client_for(alice)
    seen: list[str] = []
    url = "/api/v1/tokens?limit=2"
    pages = 0
    while True:
        body = client.get(url).json()
        pages += 1
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        if body["next_cursor"] is None:
            break
        url = f"/api/v1/tokens?limit=2&cursor={body['next_cursor']}"
    expected = [
        str(t.id) for t in ApiToken.objects.filter(user=alice).order_by("-created_at", "-id")
    ]
    assert seen == expected and len(seen) == 5 and pages == 3


def test_the_default_page_holds_fifty(alice: User, make_token: TokenMaker) -> None:
    for i in range(51):
        make_token(alice, name=f"t{i}")
    body = client_for(alice).get("/api/v1/tokens").json()
    assert len(body["items"]) == 50 and body["next_cursor"]


def test_an_empty_list_has_no_next_cursor(alice: User) -> None:
    assert client_for(alice).get("/api/v1/tokens").json() == {"items": [], "next_cursor": None}


@given(sort=st.one_of(st.text(max_size=30), st.integers()), pk=st.uuids())
def test_cursors_round_trip(sort: str | int, pk: object) -> None:
    assert decode_cursor(encode_cursor(sort, pk)) == (sort, str(pk))


# The fixture's rows are only read, so sharing them between examples is safe.
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(limit=st.integers(min_value=1, max_value=7))
def test_any_page_size_yields_the_same_sequence(
    limit: int, alice_tokens: list[str]
) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = paginate(
            ApiToken.objects.all(), page=PageParams(cursor=cursor, limit=limit)
        )
        seen += [str(t.id) for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == alice_tokens
