"""A signed-in page view writes nothing: the session's activity is recorded once a minute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tend.accounts import middleware
from tend.accounts.models import User
from tend.conftest import client_for

T0 = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    middleware._noted.clear()
    yield
    middleware._noted.clear()


def writes_of(client: Client, path: str = "/home/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def session_row(client: Client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


def test_a_second_page_view_within_a_minute_writes_nothing(alice: User) -> None:
    client = client_for(alice)
    with time_machine.travel(T0, tick=False):
        first = writes_of(client)
        assert first and all("usersession" in sql for sql in first)
        assert writes_of(client) == []
    with time_machine.travel(T0 + dt.timedelta(seconds=59), tick=False):
        assert writes_of(client) == []
    assert session_row(client).last_seen_at == T0


def test_a_page_view_after_a_minute_records_the_activity(alice: User) -> None:
    client = client_for(alice)
    with time_machine.travel(T0, tick=False):
        writes_of(client)
    later = T0 + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        writes = writes_of(client)
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")
    assert "usersession" in writes[0]
    assert session_row(client).last_seen_at == later


def test_another_worker_reads_the_row_instead_of_writing_it_again(alice: User) -> None:
    client = client_for(alice)
    with time_machine.travel(T0, tick=False):
        writes_of(client)
    middleware._noted.clear()  # as a second worker process, which never saw this session
    with time_machine.travel(T0 + dt.timedelta(seconds=30), tick=False):
        assert writes_of(client) == []


def test_a_new_address_is_recorded_at_once(alice: User) -> None:
    client = client_for(alice)
    with time_machine.travel(T0, tick=False):
        writes_of(client)
    middleware._noted.clear()
    with time_machine.travel(T0 + dt.timedelta(seconds=10), tick=False):
        client.defaults["REMOTE_ADDR"] = "192.0.2.7"
        assert writes_of(client)
    assert session_row(client).ip == "192.0.2.7"


def test_the_session_list_shows_when_each_session_was_last_active(alice: User) -> None:
    phone, laptop = client_for(alice), client_for(alice)
    with time_machine.travel(T0, tick=False):
        writes_of(phone)
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        page = laptop.get("/accounts/sessions/").content.decode()
    # The phone as it was last seen; the laptop, looking at the list, is active now.
    assert "last active 5\xa0minutes ago" in page
    assert "last active now" in page
