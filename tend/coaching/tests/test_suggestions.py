"""Suggestions ("practices as homework") and the practice progress a client may share.

carol is alice's practitioner (a practitioner connection carol made); bob is alice's partner.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import TestCase
from django.utils import timezone

from tend.accounts.models import User
from tend.coaching.models import Suggestion
from tend.coaching.progress import progress_for, progress_of
from tend.coaching.suggestion_selectors import (
    suggested_custom_practice,
    suggestion_for_client,
    suggestions_for_client,
    suggestions_of,
)
from tend.coaching.suggestions import (
    suggestion_create,
    suggestion_decline,
    suggestion_withdraw,
)
from tend.conftest import client_for
from tend.connections.models import Connection
from tend.connections.services import connection_end
from tend.connections.share_services import share_revoke
from tend.connections.tests.factories import connect, share
from tend.core.models import AuditEvent
from tend.practices.selectors import practice_for
from tend.practices.services import custom_practice_create, practice_session_record

NOTE = "CANARY-suggestion-note-71aa"


@pytest.fixture
def coached(alice: User, carol: User) -> Connection:
    return connect(carol, alice, kind="practitioner")


def breath(carol: User, connection: Connection, **kwargs: Any) -> Suggestion:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return suggestion_create(
            actor=carol,
            connection=connection,
            practice="long_exhale",
            rhythm="weekly",
            days=["MO"],
            note=NOTE,
            **kwargs,
        )


def session(alice: User, before: int, after: int, code: str = "long_exhale", **kw: Any) -> Any:
    """A run recorded now (so after whatever was suggested a moment ago)."""
    kw.setdefault("started_at", timezone.now().isoformat())
    return practice_session_record(
        author=alice,
        practice_code=code,
        intensity_before=before,
        intensity_after=after,
        duration_seconds=120,
        **kw,
    )


def test_a_practitioner_suggests_a_practice_weekly_with_a_note(
    alice: User, carol: User, coached: Connection
) -> None:
    made = breath(carol, coached)
    assert made.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert made.client == alice
    assert [s.id for s in suggestions_for_client(viewer=alice)] == [made.id]
    assert suggestion_for_client(viewer=alice, id=made.id).note == NOTE
    event = AuditEvent.objects.get(action="coaching.suggestion.create")
    assert NOTE not in str(event.meta)


def test_only_the_practitioner_of_an_active_client_connection_may_suggest(
    alice: User, bob: User, carol: User, coached: Connection
) -> None:
    partners = connect(alice, bob)
    for actor, connection in ((alice, coached), (bob, coached), (alice, partners)):
        with pytest.raises(Http404):
            suggestion_create(actor=actor, connection=connection, practice="long_exhale")
    connection_end(actor=alice, connection=coached)
    coached.refresh_from_db()
    with pytest.raises(Http404):
        suggestion_create(actor=carol, connection=coached, practice="long_exhale")


def test_a_suggestion_is_refused_plainly(carol: User, coached: Connection) -> None:
    with pytest.raises(ValidationError) as refused:
        suggestion_create(
            actor=carol, connection=coached, practice="nope", rhythm="weekly", days=[]
        )
    assert set(refused.value.message_dict) == {"practice", "days"}


def test_the_client_declines_without_a_reason_and_it_leaves_their_home(
    alice: User, carol: User, coached: Connection
) -> None:
    made = breath(carol, coached)
    with pytest.raises(Http404):
        suggestion_decline(actor=carol, suggestion=made)
    assert suggestion_decline(actor=alice, suggestion=made)
    assert not suggestions_for_client(viewer=alice).exists()
    made.refresh_from_db()
    assert made.declined_reason == ""
    assert [s.id for s in suggestions_of(viewer=carol, connection=coached)] == [made.id]


def test_withdrawing_hides_it_from_the_client(
    alice: User, carol: User, coached: Connection
) -> None:
    made = breath(carol, coached)
    with pytest.raises(Http404):
        suggestion_withdraw(actor=alice, suggestion=made)
    assert suggestion_withdraw(actor=carol, suggestion=made)
    assert not suggestion_withdraw(actor=carol, suggestion=made)
    with pytest.raises(Http404):
        suggestion_for_client(viewer=alice, id=made.id)


def test_a_custom_practice_plays_for_the_client_only_while_suggested(
    alice: User, bob: User, carol: User, coached: Connection
) -> None:
    custom = custom_practice_create(
        author=carol, name="CANARY own breath", steps="In\nOut", pattern=[4, 0, 6, 0]
    )
    with pytest.raises(Http404):
        practice_for(viewer=alice, code="", custom_id=custom.id)
    made = suggestion_create(actor=carol, connection=coached, practice=f"custom:{custom.id}")
    assert practice_for(viewer=alice, code="", custom_id=custom.id).title == "CANARY own breath"
    assert suggested_custom_practice(viewer=bob, id=custom.id) is None
    # The client's session of it counts as theirs.
    done = session(alice, 6, 3, code="custom", custom_practice_id=custom.id)
    assert done.custom_practice == custom
    response = client_for(alice).get(f"/practices/own/{custom.id}/")
    assert response.status_code == 200
    assert b"/edit/" not in response.content
    suggestion_withdraw(actor=carol, suggestion=made)
    with pytest.raises(Http404):
        practice_for(viewer=alice, code="", custom_id=custom.id)
    assert client_for(alice).get(f"/practices/own/{custom.id}/").status_code == 404


def test_progress_counts_only_suggested_practices_while_suggested(
    alice: User, carol: User, coached: Connection
) -> None:
    session(alice, 9, 8, started_at=None)  # before any suggestion: not progress
    made = breath(carol, coached)
    session(alice, 7, 4)
    session(alice, 6, 2)
    session(alice, 8, 5, code="box_breathing")  # not suggested: not included
    found = progress_of(owner=alice, connection=coached, tz_name="UTC")
    assert [(p.key, p.count) for p in found] == [("long_exhale", 2)]
    assert [(r.before, r.after) for r in found[0].sessions] == [(7, 4), (6, 2)]
    assert found[0].chart is not None and "<svg" in found[0].chart.svg
    suggestion_withdraw(actor=carol, suggestion=made)
    session(alice, 5, 5)  # after withdrawal: not progress
    assert progress_of(owner=alice, connection=coached, tz_name="UTC")[0].count == 2


def test_progress_needs_a_live_share_and_each_view_is_recorded(
    alice: User, carol: User, coached: Connection
) -> None:
    breath(carol, coached)
    session(alice, 7, 4)
    with pytest.raises(Http404):
        progress_for(viewer=carol, connection=coached)
    granted = share(alice, coached, "practice_progress")
    assert progress_for(viewer=carol, connection=coached).practices[0].count == 1
    viewed = AuditEvent.objects.filter(action="share.viewed", target_id=str(granted.id))
    assert viewed.count() == 1
    share_revoke(actor=alice, share=granted)
    with pytest.raises(Http404):
        progress_for(viewer=carol, connection=coached)


def test_progress_is_shared_only_by_a_client_with_their_practitioner(
    alice: User, bob: User, carol: User, coached: Connection
) -> None:
    partners = connect(alice, bob)
    with pytest.raises(ValidationError):
        share(alice, partners, "practice_progress")
    with pytest.raises(ValidationError):
        share(carol, coached, "practice_progress")


def test_ending_the_connection_hides_suggestions(
    alice: User, carol: User, coached: Connection
) -> None:
    breath(carol, coached)
    with TestCase.captureOnCommitCallbacks(execute=True):
        connection_end(actor=alice, connection=coached)
    assert not suggestions_for_client(viewer=alice).exists()


def test_home_shows_the_cards_in_a_fixed_number_of_queries(
    alice: User, carol: User, coached: Connection, django_assert_max_num_queries: Any
) -> None:
    custom = custom_practice_create(author=carol, name="Her own", steps="In", kind="grounding")
    breath(carol, coached)
    suggestion_create(actor=carol, connection=coached, practice=f"custom:{custom.id}")
    web = client_for(alice)
    web.get("/home/")  # warm caches (keys, sessions)
    with django_assert_max_num_queries(20) as counted:
        response = web.get("/home/")
    few = len(counted.captured_queries)
    for _ in range(5):
        suggestion_create(actor=carol, connection=coached, practice="box_breathing")
    with django_assert_max_num_queries(few) as counted:
        response = web.get("/home/")
    body = response.content.decode()
    assert body.count("A suggestion from") == 7
    assert NOTE in body and "Her own" in body
    assert "overdue" not in body.lower() and "streak" not in body.lower()


def test_both_exports_hold_the_suggestion_and_deleting_either_account_removes_it(
    alice: User, carol: User, coached: Connection
) -> None:
    from tend.accounts.export import export_sections
    from tend.accounts.services import account_delete

    made = breath(carol, coached)
    section = export_sections()["coaching"]
    assert section(carol)["suggestions_made"][0]["note"] == NOTE
    assert section(alice)["suggestions_to_me"][0]["id"] == str(made.id)
    account_delete(user=carol)
    assert not Suggestion.objects.filter(id=made.id).exists()
    assert client_for(alice).get("/home/").status_code == 200
    assert not suggestions_for_client(viewer=alice).exists()
