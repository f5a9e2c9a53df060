"""Care plans: proposals, agreement by every party, history and diff, review, access."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tend.accounts.models import User
from tend.careplans.models import CarePlan, Version
from tend.careplans.services import (
    agreement_give,
    agreement_withdraw,
    careplan_create,
    proposal_create,
    repair_pause,
)
from tend.conftest import client_for
from tend.connections.services import connection_end
from tend.connections.tests.factories import connect
from tend.journal.tests.factories import MomentFactory
from tend.notifications.delivery import deliver_due
from tend.notifications.models import Notification
from tend.notifications.push import payload
from tend.rituals.services import feed_create, ritual_create

CANARY = "CANARY-careplan-b81e"


@pytest.fixture
def plan(alice: User, bob: User) -> CarePlan:
    return careplan_create(actor=alice, connections=[connect(alice, bob)])


def _place(owner: User, name: str, **fields: str) -> dict[str, Any]:
    return {"owner": str(owner.id), "name": name, **fields}


def test_a_proposal_becomes_active_only_when_every_party_agreed(
    alice: User, bob: User, plan: CarePlan
) -> None:
    first = proposal_create(
        actor=alice, plan=plan, content={"places": [_place(alice, "New dates", ask_for="a text")]}
    )
    assert first.status == Version.Status.PROPOSED
    assert agreement_give(actor=bob, plan=plan, version=first)
    first.refresh_from_db()
    assert (first.status, first.number) == (Version.Status.ACTIVE, 1)


def test_a_group_plan_waits_for_all_three(alice: User, bob: User, carol: User) -> None:
    group = careplan_create(actor=alice, connections=[connect(alice, bob), connect(alice, carol)])
    version = proposal_create(actor=alice, plan=group, content={"places": [_place(alice, "x")]})
    assert not agreement_give(actor=bob, plan=group, version=version)
    assert agreement_give(actor=carol, plan=group, version=version)


def test_withdrawing_agreement_puts_the_plan_under_review_and_a_new_agreement_clears_it(
    alice: User, bob: User, plan: CarePlan
) -> None:
    v1 = proposal_create(actor=alice, plan=plan, content={"places": [_place(alice, "x")]})
    agreement_give(actor=bob, plan=plan, version=v1)
    agreement_withdraw(actor=bob, plan=plan)
    plan.refresh_from_db()
    assert plan.under_review_since is not None
    page = client_for(alice).get(f"/careplans/{plan.id}/").content.decode()
    assert "Under review" in page
    v2 = proposal_create(actor=bob, plan=plan, content={"places": [_place(alice, "y")]})
    agreement_give(actor=alice, plan=plan, version=v2)
    plan.refresh_from_db()
    assert plan.under_review_since is None


def test_a_proposal_against_an_older_version_is_marked_outdated(
    alice: User, bob: User, plan: CarePlan
) -> None:
    a = proposal_create(actor=alice, plan=plan, content={"places": [_place(alice, "a")]})
    b = proposal_create(actor=bob, plan=plan, content={"places": [_place(bob, "b")]})
    agreement_give(actor=bob, plan=plan, version=a)
    b.refresh_from_db()
    assert b.status == Version.Status.OUTDATED


def test_a_tender_place_must_belong_to_someone_in_the_plan(
    alice: User, mallory: User, plan: CarePlan
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        proposal_create(actor=alice, plan=plan, content={"places": [_place(mallory, "x")]})


def test_the_version_page_shows_a_readable_diff(alice: User, bob: User, plan: CarePlan) -> None:
    v1 = proposal_create(
        actor=alice, plan=plan, content={"places": [_place(alice, "New dates", ask_for="a text")]}
    )
    agreement_give(actor=bob, plan=plan, version=v1)
    v2 = proposal_create(
        actor=bob,
        plan=plan,
        content={"places": [_place(alice, "New dates", ask_for="a call before bed")]},
    )
    page = client_for(alice).get(f"/careplans/{plan.id}/versions/{v2.id}/").content.decode()
    assert 'diff-removed"' in page and "a text" in page
    assert 'diff-added"' in page and "a call before bed" in page


def test_strangers_get_404_and_an_ended_connection_ends_both_sides_access(
    alice: User, bob: User, mallory: User, plan: CarePlan
) -> None:
    v1 = proposal_create(actor=alice, plan=plan, content={"places": [_place(alice, CANARY)]})
    for path in (f"/careplans/{plan.id}/", f"/careplans/{plan.id}/versions/{v1.id}/"):
        assert client_for(mallory).get(path).status_code == 404
        assert client_for(bob).get(path).status_code == 200
    connection_end(actor=alice, connection=plan.connection)
    assert client_for(bob).get(f"/careplans/{plan.id}/").status_code == 404
    assert client_for(bob).get(f"/api/v1/careplans/{plan.id}").status_code == 404


def test_the_guide_offers_a_practice_when_not_calm_and_turns_answers_into_a_proposal(
    alice: User, bob: User, plan: CarePlan
) -> None:
    client = client_for(alice)
    later = client.get(f"/careplans/{plan.id}/guide/?step=later").content.decode()
    assert 'href="/practices/"' in later
    response = client.post(
        f"/careplans/{plan.id}/guide/",
        {
            "action": "propose",
            "name": "When you stay over",
            "scary": "the empty flat",
            "seen": "a goodnight message",
        },
    )
    assert response.status_code == 302
    version = Version.objects.get(plan=plan)
    assert "the empty flat" in version.content and "a goodnight message" in version.content


def test_a_canary_in_journal_and_care_plan_text_never_reaches_an_email_or_push_payload(
    alice: User, bob: User, plan: CarePlan, django_capture_on_commit_callbacks: Any
) -> None:
    MomentFactory(author=alice, cue=CANARY, story=CANARY)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = proposal_create(
            actor=alice, plan=plan, content={"places": [_place(alice, CANARY, feels_like=CANARY)]}
        )
        agreement_give(actor=bob, plan=plan, version=v1)
        agreement_withdraw(actor=bob, plan=plan)
        repair_pause(actor=bob, connection=plan.connection, minutes=30)
    deliver_due()
    assert len(mail.outbox) >= 3
    for email in mail.outbox:
        text = email.subject + email.body + "".join(a[0] for a in email.alternatives)
        assert CANARY not in text and "Alice" not in text and "Bob" not in text
    for notice in Notification.objects.all():
        data = payload(notice.code, notice.link)
        assert CANARY not in data and "Alice" not in data
    # Nor a calendar feed, for either of them (with a ritual carrying the canary as its words).
    ritual_create(
        actor=alice,
        connection=plan.connection,
        kind="checkin",
        rrule="FREQ=WEEKLY;BYDAY=SU",
        start_date=dt.date(2026, 1, 4),
        start_time=dt.time(19),
        words=CANARY,
    )
    for person in (alice, bob):
        secret = feed_create(actor=person)
        ics = Client().get(f"/rituals/calendar/{secret}.ics")
        assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
        assert CANARY.encode() not in ics.content and b"Alice" not in ics.content


def test_the_api_proposes_agrees_and_lists_versions(alice: User, bob: User, plan: CarePlan) -> None:
    response = client_for(alice).post(
        f"/api/v1/careplans/{plan.id}/proposals",
        data=json.dumps({"places": [_place(alice, "New dates")], "sections": []}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    version_id = response.json()["id"]
    agreed = client_for(bob).post(f"/api/v1/careplans/{plan.id}/versions/{version_id}/agreement")
    assert agreed.status_code == 200
    assert agreed.json()["status"] == "active"
    listed = client_for(bob).get(f"/api/v1/careplans/{plan.id}/versions").json()
    assert [v["number"] for v in listed["items"]] == [1]
    assert listed["items"][0]["content"]["places"][0]["name"] == "New dates"


def test_a_tender_place_linked_to_ones_own_theme_shows_the_link_to_its_owner_only(
    alice: User, bob: User, plan: CarePlan
) -> None:
    from tend.journal.models import Theme

    theme = Theme.objects.create(owner=alice, name=CANARY)
    client = client_for(alice)
    form = client.get(f"/careplans/{plan.id}/propose/").content.decode()
    assert CANARY in form  # her own theme is offered to her
    client.post(
        f"/careplans/{plan.id}/propose/",
        {
            "place_count": "1",
            "section_count": "0",
            "place-0-name": "When plans change late",
            "place-0-owner": str(alice.id),
            "place-0-theme": str(theme.id),
        },
    )
    version = Version.objects.get(plan=plan)
    assert str(theme.id) not in version.content and CANARY not in version.content
    agreement_give(actor=bob, plan=plan, version=version)
    assert "Linked to your journal theme" in client.get(f"/careplans/{plan.id}/").content.decode()
    for path in (
        f"/careplans/{plan.id}/",
        f"/careplans/{plan.id}/propose/",
        f"/careplans/{plan.id}/versions/{version.id}/",
    ):
        page = client_for(bob).get(path).content.decode()
        assert CANARY not in page and "When plans change late" in page


ALICE_NEXT = "CANARY-alice-next-slow-breath"
BOB_NEXT = "CANARY-bob-next-walk"


def test_a_debrief_turns_into_a_proposal_with_the_authors_own_words_only(
    alice: User, bob: User, plan: CarePlan
) -> None:
    from tend.careplans.services import debrief_write

    assert plan.connection is not None
    repair = repair_pause(actor=alice, connection=plan.connection, minutes=30)
    debrief_write(actor=alice, repair=repair, what_happened="", my_part="", try_next=ALICE_NEXT)
    debrief_write(actor=bob, repair=repair, what_happened="", my_part="", try_next=BOB_NEXT)
    detail = client_for(alice).get(f"/careplans/repair/{repair.id}/").content.decode()
    link = f"/careplans/{plan.id}/propose/?from_repair={repair.id}"
    assert link in detail
    for person, own, others in ((alice, ALICE_NEXT, BOB_NEXT), (bob, BOB_NEXT, ALICE_NEXT)):
        form = client_for(person).get(link).content.decode()
        assert own in form
        assert others not in form
    # Without the parameter the form has no debrief words at all.
    plain = client_for(alice).get(f"/careplans/{plan.id}/propose/").content.decode()
    assert ALICE_NEXT not in plain


def test_a_debrief_without_a_plan_offers_to_start_one(alice: User, bob: User) -> None:
    from tend.careplans.services import debrief_write

    repair = repair_pause(actor=alice, connection=connect(alice, bob), minutes=30)
    debrief_write(actor=alice, repair=repair, what_happened="", my_part="", try_next=ALICE_NEXT)
    detail = client_for(alice).get(f"/careplans/repair/{repair.id}/").content.decode()
    assert "Start a care plan together" in detail and "/careplans/new/" in detail


def test_someone_outside_the_repair_cannot_pull_its_debrief_into_a_proposal(
    alice: User, bob: User, carol: User, mallory: User, plan: CarePlan
) -> None:
    from tend.careplans.services import debrief_write

    assert plan.connection is not None
    repair = repair_pause(actor=alice, connection=plan.connection, minutes=30)
    debrief_write(actor=alice, repair=repair, what_happened="", my_part="", try_next=ALICE_NEXT)
    own = careplan_create(actor=mallory, connections=[connect(mallory, carol)])
    page = client_for(mallory).get(f"/careplans/{own.id}/propose/?from_repair={repair.id}")
    assert page.status_code == 404
    assert ALICE_NEXT not in page.content.decode()


def _debrief(person: User, repair: Any, try_next: str) -> None:
    from tend.careplans.services import debrief_write

    debrief_write(actor=person, repair=repair, what_happened="", my_part="", try_next=try_next)


def test_the_others_debrief_shows_only_after_ones_own(alice: User, bob: User) -> None:
    from tend.careplans.selectors import debriefs_for

    repair = repair_pause(actor=alice, connection=connect(alice, bob), minutes=30)
    page = f"/careplans/repair/{repair.id}/"
    _debrief(bob, repair, BOB_NEXT)
    assert debriefs_for(viewer=alice, repair=repair) == (None, None)
    assert BOB_NEXT not in client_for(alice).get(page).content.decode()
    _debrief(alice, repair, ALICE_NEXT)
    mine, theirs = debriefs_for(viewer=alice, repair=repair)
    assert (mine.try_next if mine else None, theirs.try_next if theirs else None) == (
        ALICE_NEXT,
        BOB_NEXT,
    )
    assert BOB_NEXT in client_for(alice).get(page).content.decode()


def test_a_pause_of_no_whole_minutes_is_refused_with_what_to_choose(
    alice: User, bob: User, plan: CarePlan
) -> None:
    from tend.careplans.models import Repair

    assert plan.connection is not None
    client = client_for(alice)
    for minutes in ("soon", ""):
        answer = client.post(
            "/careplans/repair/pause/",
            {"connection": str(plan.connection.id), "minutes": minutes},
            follow=True,
        )
        assert "Choose a time between 5 minutes and a day." in answer.content.decode()
    assert not Repair.objects.exists()
    # Without a time, the pause is the default half hour.
    client.post("/careplans/repair/pause/", {"connection": str(plan.connection.id)})
    repair = Repair.objects.get()
    assert round((repair.return_at - repair.paused_at).total_seconds() / 60) == 30


def test_a_review_date_that_is_not_a_date_is_refused(alice: User, plan: CarePlan) -> None:
    answer = client_for(alice).post(
        f"/careplans/{plan.id}/review/", {"review_on": "next spring"}, follow=True
    )
    assert "Choose a date for the review." in answer.content.decode()
    plan.refresh_from_db()
    assert plan.review_on is None
