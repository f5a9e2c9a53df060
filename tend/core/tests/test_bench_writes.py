"""Under TEND_BENCH the server tells the harness how many database writes a request made."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from tend.accounts.models import User
from tend.core.audit import record
from tend.core.bench import WRITES_HEADER, DatabaseWritesMiddleware


def test_it_counts_the_writes_of_a_request_and_not_its_reads(alice: User) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        list(User.objects.all())
        record(actor=alice, action="x.one")
        record(actor=alice, action="x.two")
        User.objects.filter(pk=alice.pk).update(display_name="Alice")
        return HttpResponse("ok")

    response = DatabaseWritesMiddleware(view)(RequestFactory().get("/"))
    assert response[WRITES_HEADER] == "3"


def test_a_request_that_only_reads_reports_none(alice: User) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        list(User.objects.all())
        return HttpResponse("ok")

    assert DatabaseWritesMiddleware(view)(RequestFactory().get("/"))[WRITES_HEADER] == "0"


def test_a_statement_of_several_writes_counts_each_of_them() -> None:
    from tend.core.bench import writes_in

    together = (
        'WITH s0 AS (INSERT INTO "journal_moment" ("id") VALUES (%s)), '
        "s1 AS (INSERT INTO insights_monthrevision (owner_id, month, token) VALUES (%s, %s, %s) "
        "ON CONFLICT (owner_id, month) DO UPDATE SET token = excluded.token) "
        'INSERT INTO "core_auditevent" ("id") VALUES (%s)'
    )
    assert writes_in(together) == 3
    assert writes_in("WITH x AS (SELECT 1) SELECT * FROM x") == 0
    assert writes_in('UPDATE "t" SET a = 1') == 1
    assert writes_in("SELECT 1") == 0
