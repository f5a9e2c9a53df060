"""The practice API under /api/v1/coaching/: the dashboard's counts and the summaries after a
call, through the same ``dashboard`` and ``summaries`` modules as the pages.

* ``GET dashboard`` reads the counts without recording a look (a GET changes nothing);
  ``POST dashboard/seen`` records it, as opening the page does.
* The practitioner's: ``GET``/``PUT calls/{id}/summary`` (the draft), ``POST …/summary/send``
  (idempotent: sending again answers the same summary and tells nobody again), and
  ``GET clients/{id}/summaries`` (what they wrote for one client).
* The client's: ``GET summaries``, ``GET``/``DELETE summaries/{id}``.

Anything not the caller's is the same 404 as nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from tend.accounts.requests import person_of
from tend.coaching import dashboard, selectors, summaries
from tend.coaching.models import CallSummary, ReceivedSummary
from tend.coaching.practice_schemas import (
    CallSummaryIn,
    CallSummaryOut,
    PracticeCountsOut,
    ReceivedSummaryOut,
)

router = Router(tags=["coaching"])


@router.get("/dashboard", response=PracticeCountsOut, summary="Your practice, counted")
def practice_counts(request: HttpRequest) -> Any:
    counts = dashboard.practice_counts(viewer=person_of(request))
    return {
        "since": counts.since,
        "upcoming": counts.upcoming,
        "next_call": counts.next_call.id if counts.next_call else None,
        "next_call_start": counts.next_call.start if counts.next_call else None,
        "new_bookings": counts.new_bookings,
        "shared": [{"connection": s.connection, "name": s.name} for s in counts.shared],
        "waiting_maps": counts.waiting_maps,
    }


@router.post("/dashboard/seen", response={204: None}, summary="Record your look at the counts")
def practice_seen(request: HttpRequest) -> Any:
    dashboard.dashboard_seen(actor=person_of(request))
    return Status(204, None)


def _summary_out(summary: CallSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "call": summary.booking_id,
        "client_connection": summary.connection_id,
        "text": summary.text,
        "created_at": summary.created_at,
        "updated_at": summary.updated_at,
        "sent_at": summary.sent_at,
    }


@router.get("/calls/{call_id}/summary", response=CallSummaryOut, summary="Your summary of a call")
def summary_get(request: HttpRequest, call_id: str) -> Any:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=call_id)
    found = summaries.summary_for_call(viewer=user, booking=booking)
    if found is None:
        raise Http404
    return _summary_out(found)


@router.put(
    "/calls/{call_id}/summary",
    response=CallSummaryOut,
    summary="Save the draft of a call's summary for your client",
)
def summary_put(request: HttpRequest, call_id: str, body: CallSummaryIn) -> Any:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=call_id)
    return _summary_out(summaries.summary_save(actor=user, booking=booking, text=body.text))


@router.post(
    "/calls/{call_id}/summary/send",
    response=CallSummaryOut,
    summary="Send the summary: it becomes your client's own",
)
def summary_send(request: HttpRequest, call_id: str) -> Any:
    user = person_of(request)
    booking = selectors.call_of(viewer=user, id=call_id)
    found = summaries.summary_for_call(viewer=user, booking=booking)
    if found is None:
        raise Http404
    summaries.summary_send(actor=user, summary=found)
    found.refresh_from_db()
    return _summary_out(found)


@router.get(
    "/clients/{connection_id}/summaries",
    response=list[CallSummaryOut],
    summary="The summaries you wrote for a client",
)
def summaries_for_client(request: HttpRequest, connection_id: str) -> Any:
    user = person_of(request)
    client = selectors.client_of(viewer=user, id=connection_id)
    return [
        _summary_out(s)
        for s in summaries.summaries_written_of(viewer=user).filter(connection=client.connection)
    ]


def _received_out(summary: ReceivedSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "sender_name": summary.sender_name,
        "call_start": summary.call_start,
        "text": summary.text,
        "received_at": summary.created_at,
        "read_at": summary.read_at,
    }


@router.get("/summaries", response=list[ReceivedSummaryOut], summary="Summaries sent to you")
def received(request: HttpRequest) -> Any:
    return [
        _received_out(s) for s in summaries.received_summaries_of(viewer=person_of(request))[:200]
    ]


@router.get("/summaries/{summary_id}", response=ReceivedSummaryOut, summary="A summary sent to you")
def received_one(request: HttpRequest, summary_id: str) -> Any:
    return _received_out(summaries.received_summary_of(viewer=person_of(request), id=summary_id))


@router.delete(
    "/summaries/{summary_id}", response={204: None}, summary="Delete a summary sent to you"
)
def received_delete(request: HttpRequest, summary_id: str) -> Any:
    user = person_of(request)
    summaries.received_summary_delete(
        actor=user, summary=summaries.received_summary_of(viewer=user, id=summary_id)
    )
    return Status(204, None)
