"""Rituals: creating, marking occurrences, the calendar link, reminders, access."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.services import connection_end
from tend.connections.tests.factories import connect
from tend.notifications.delivery import deliver_due
from tend.notifications.models import Reminder
from tend.rituals.models import CalendarFeed, OccurrenceState, Ritual
from tend.rituals.schedule import occurrences
from tend.rituals.services import feeds_revoke_for_safety, ritual_create
from tend.rituals.tasks import plan_reminders

CANARY = "CANARY-ritual-7f3a"


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@pytest.fixture
def together(alice: User, bob: User) -> Any:
    bob.time_zone = "America/New_York"
    bob.save()
    return connect(alice, bob)


def _weekly(owner: User, connection: Any = None, **kw: Any) -> Ritual:
    defaults = {
        "kind": "checkin",
        "rrule": "FREQ=WEEKLY;BYDAY=SU",
        "start_date": dt.date(2026, 1, 4),
        "start_time": dt.time(19),
    }
    return ritual_create(actor=owner, connection=connection, **{**defaults, **kw})


def test_a_ritual_is_created_from_the_form_and_shown_with_its_schedule_in_plain_words(
    alice: User, together: Any
) -> None:
    client = client_for(alice)
    assert client.get("/rituals/new/").status_code == 200
    response = client.post(
        "/rituals/new/",
        {
            "kind": "affirmation",
            "connection": str(together.id),
            "words": "I'm still here",
            "frequency": "WEEKLY",
            "days": ["MO", "TH"],
            "time": "19:00",
            "start_date": "2026-03-02",
            "basis": "each_local",
            "duration_minutes": "5",
        },
    )
    assert response.status_code == 302, response.content
    ritual = Ritual.objects.get()
    assert ritual.rrule == "FREQ=WEEKLY;BYDAY=MO,TH"
    assert ritual.time_zone == "Europe/Berlin"
    page = client.get(response["Location"])
    assert b"Every Monday, Thursday at 19:00" in page.content
    assert "I&#x27;m still here" in page.content.decode()


def test_a_weekly_ritual_without_days_is_refused_with_a_plain_reason(alice: User) -> None:
    response = client_for(alice).post(
        "/rituals/new/",
        {
            "kind": "checkin",
            "frequency": "WEEKLY",
            "time": "19:00",
            "start_date": "2026-03-02",
            "basis": "together",
            "duration_minutes": "30",
        },
    )
    assert response.status_code == 200
    assert b"Choose at least one day." in response.content
    assert not Ritual.objects.exists()


def test_an_occurrence_can_be_done_skipped_or_moved_and_the_rhythm_counts_only_what_happened(
    alice: User, bob: User, together: Any
) -> None:
    ritual = _weekly(alice, together, start_date=_today() - dt.timedelta(days=21))
    now = dt.datetime.now(dt.UTC)
    past = occurrences(
        ritual, start=now - dt.timedelta(days=21), end=now, participant_tz=alice.time_zone
    )
    client = client_for(bob)
    client.post(f"/rituals/{ritual.id}/occurrences/", {"original": past[0].key, "state": "done"})
    client.post(f"/rituals/{ritual.id}/occurrences/", {"original": past[1].key, "state": "skipped"})
    assert OccurrenceState.objects.count() == 2
    page = client_for(alice).get(f"/rituals/{ritual.id}/").content.decode()
    assert "You came together for this once in the last 8 weeks." in page
    assert "streak" not in page.lower() and "missed" not in page.lower()
    # A time that is not one of the ritual's is refused.
    client.post(
        f"/rituals/{ritual.id}/occurrences/", {"original": "20260101T101000Z", "state": "done"}
    )
    assert OccurrenceState.objects.count() == 2


def test_a_moved_occurrence_takes_its_new_time(alice: User) -> None:
    ritual = _weekly(alice, start_date=_today() + dt.timedelta(days=1))
    now = dt.datetime.now(dt.UTC)
    first = occurrences(ritual, start=now, end=now + dt.timedelta(days=14))[0]
    new_local = first.start.astimezone(alice.tz) + dt.timedelta(days=1)
    client_for(alice).post(
        f"/rituals/{ritual.id}/occurrences/",
        {"original": first.key, "state": "moved", "moved_to": new_local.strftime("%Y-%m-%dT%H:%M")},
    )
    after = occurrences(ritual, start=now, end=now + dt.timedelta(days=14))
    assert after[0].start == new_local and after[0].state == "moved"


def test_others_get_the_same_404_for_a_ritual_that_is_not_theirs(
    alice: User, mallory: User
) -> None:
    ritual = _weekly(alice)
    assert client_for(mallory).get(f"/rituals/{ritual.id}/").status_code == 404
    assert client_for(mallory).get(f"/api/v1/rituals/{ritual.id}").status_code == 404


def test_when_the_connection_ends_bob_no_longer_sees_the_ritual_and_its_reminders_stop(
    alice: User, bob: User, together: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ritual = _weekly(alice, together, start_date=_today())
    assert client_for(bob).get(f"/rituals/{ritual.id}/").status_code == 200
    plan_reminders(now=dt.datetime.now(dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        connection_end(actor=alice, connection=together)
    assert client_for(bob).get(f"/rituals/{ritual.id}/").status_code == 404
    assert not Reminder.objects.filter(sent_at=None, dropped_at=None).exists()


def test_reminders_are_planned_once_per_person_and_occurrence_in_their_time_zone(
    alice: User, bob: User, together: Any
) -> None:
    ritual = _weekly(alice, together, basis="each_local", start_date=dt.date(2026, 3, 1))
    now = dt.datetime(2026, 3, 8, 12, 0, tzinfo=dt.UTC)  # Sunday noon UTC
    assert plan_reminders(now=now) == 2
    assert plan_reminders(now=now) == 0
    due = {
        r.recipient_id: r.due_at
        for r in Reminder.objects.filter(dedupe_key__contains=str(ritual.id))
    }
    assert due[alice.id] == dt.datetime(2026, 3, 8, 17, 30, tzinfo=dt.UTC)  # 18:30 Berlin (CET)
    # New York is already on daylight time (since 8 March 02:00): 18:30 EDT = 22:30 UTC.
    assert due[bob.id] == dt.datetime(2026, 3, 8, 22, 30, tzinfo=dt.UTC)


def test_the_calendar_link_is_shown_once_stored_hashed_and_stops_when_revoked(
    alice: User,
) -> None:
    _weekly(alice, words=CANARY)
    client = client_for(alice)
    response = client.post("/rituals/calendar/", {"action": "create"})
    url = re.search(r"http://testserver(/rituals/calendar/[^<\s]+\.ics)", response.content.decode())
    assert url
    path = url.group(1)
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=alice)
    assert feed.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/rituals/calendar/").content.decode()
    ics = Client().get(path)
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content
    assert b"SUMMARY:Weekly check-in" in body and CANARY.encode() not in body
    # Discreet mode: every event is just "Tend".
    client.post("/rituals/calendar/", {"action": "discreet", "discreet": "on"})
    assert b"SUMMARY:Tend" in Client().get(path).content
    # Safety Check's step revokes it.
    assert feeds_revoke_for_safety(user=alice) == 1
    assert Client().get(path).status_code == 404


def test_a_rotated_calendar_link_replaces_the_old_one(alice: User) -> None:
    client = client_for(alice)
    first = re.search(
        r"/rituals/calendar/[^<\s]+\.ics",
        client.post("/rituals/calendar/", {"action": "create"}).content.decode(),
    )
    second = re.search(
        r"/rituals/calendar/[^<\s]+\.ics",
        client.post("/rituals/calendar/", {"action": "rotate"}).content.decode(),
    )
    assert first and second
    assert Client().get(first.group(0)).status_code == 404
    assert Client().get(second.group(0)).status_code == 200


def test_the_api_creates_lists_and_marks_rituals(alice: User, bob: User, together: Any) -> None:
    client = client_for(alice)
    response = client.post(
        "/api/v1/rituals",
        data=json.dumps(
            {
                "kind": "touchpoint",
                "connection_id": str(together.id),
                "rrule": "FREQ=DAILY;UNTIL=20260310T200000Z",
                "start_date": "2026-03-01",
                "start_time": "09:00",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    ritual_id = response.json()["id"]
    listed = client_for(bob).get("/api/v1/rituals").json()["items"]
    assert [r["id"] for r in listed] == [ritual_id]
    found = (
        client_for(bob)
        .get(f"/api/v1/rituals/{ritual_id}/occurrences?start=2026-03-01T00:00:00Z&days=30")
        .json()
    )
    assert len(found) == 10  # 1 to 10 March at 09:00 Berlin
    marked = client_for(bob).post(
        f"/api/v1/rituals/{ritual_id}/occurrences",
        data=json.dumps({"original": found[0]["original"], "state": "done"}),
        content_type="application/json",
    )
    assert marked.status_code == 204
    bad = client.post(
        "/api/v1/rituals",
        data=json.dumps(
            {
                "kind": "checkin",
                "rrule": "FREQ=SECONDLY",
                "start_date": "2026-03-01",
                "start_time": "09:00",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert client_for(bob).delete(f"/api/v1/rituals/{ritual_id}").status_code == 403


def test_a_ritual_reminder_email_says_only_what_kind_of_thing_is_coming(
    alice: User, together: Any
) -> None:
    _weekly(alice, together, words=CANARY, start_date=dt.date(2026, 3, 1))
    now = dt.datetime(2026, 3, 8, 17, 45, tzinfo=dt.UTC)
    plan_reminders(now=now)
    deliver_due(now=now)
    assert mail.outbox
    for email in mail.outbox:
        assert email.subject == "You have a check-in today."
        everything = email.subject + email.body + email.alternatives[0][0]
        assert CANARY not in everything and "Alice" not in everything and "Bob" not in everything


def test_an_occurrence_kept_together_has_one_state_even_on_sqlite(alice: User) -> None:
    # person is empty for an occurrence kept together; SQLite ignores nulls_distinct, so the
    # rule is two partial unique constraints, and a second row for the same occurrence fails.
    from django.db import IntegrityError, transaction

    ritual = _weekly(alice)
    start = dt.datetime(2027, 1, 3, 18, 0, tzinfo=dt.UTC)
    OccurrenceState.objects.create(ritual=ritual, original_start=start, state="done")
    with pytest.raises(IntegrityError), transaction.atomic():
        OccurrenceState.objects.create(ritual=ritual, original_start=start, state="skipped")
    OccurrenceState.objects.create(ritual=ritual, original_start=start, person=alice, state="done")
    with pytest.raises(IntegrityError), transaction.atomic():
        OccurrenceState.objects.create(
            ritual=ritual, original_start=start, person=alice, state="skipped"
        )


def test_planning_reminders_reads_marks_once_however_many_rituals_there_are(
    alice: User, bob: User, together: Any, django_assert_num_queries: Any
) -> None:
    now = dt.datetime(2026, 3, 8, 12, 0, tzinfo=dt.UTC)
    # Weekly on Wednesdays: nothing falls in the next 26 hours, so no reminder is written and
    # only the reads are counted.
    for basis in ("each_local", "together", "each_local"):
        ritual = _weekly(alice, together, basis=basis, rrule="FREQ=WEEKLY;BYDAY=WE")
        OccurrenceState.objects.create(
            ritual=ritual,
            person=bob if basis == "each_local" else None,
            original_start=dt.datetime(2026, 3, 4, 19, tzinfo=dt.UTC),
            state="skipped",
        )
    # The rituals with their people, and every mark.
    with django_assert_num_queries(2):
        assert plan_reminders(now=now) == 0


def test_the_calendar_feed_of_an_inactive_account_is_not_served(alice: User) -> None:
    from tend.rituals.selectors import feed_by_secret
    from tend.rituals.services import feed_create

    secret = feed_create(actor=alice)
    assert feed_by_secret(secret) is not None
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert feed_by_secret(secret) is None
    assert Client().get(f"/rituals/calendar/{secret}.ics").status_code == 404
    assert CalendarFeed.objects.get(user=alice).last_fetched_at is None


def test_a_fetch_of_the_calendar_feed_is_noted(alice: User) -> None:
    from tend.rituals.services import feed_create

    secret = feed_create(actor=alice)
    assert CalendarFeed.objects.get(user=alice).last_fetched_at is None
    assert Client().get(f"/rituals/calendar/{secret}.ics").status_code == 200
    assert CalendarFeed.objects.get(user=alice).last_fetched_at is not None
