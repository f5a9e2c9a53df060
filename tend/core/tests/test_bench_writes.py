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
