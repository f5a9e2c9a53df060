"""Private theme links on tender places: saved with or without a proposal, all or nothing,
never lost because the form had no theme select, audited with counts only."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tend.accounts.models import User
from tend.careplans import document
from tend.careplans.models import CarePlan, PlaceTheme, Version
from tend.careplans.services import (
    agreement_give,
    careplan_create,
    place_themes_set,
    proposal_create,
)
from tend.conftest import client_for
from tend.connections.tests.factories import connect
from tend.core.models import AuditEvent
from tend.journal.models import Theme
from tend.journal.themes import theme_archive

CANARY = "CANARY-place-theme-5d2c"
PLACE = "CANARY-place-name-When plans change late"


@pytest.fixture
def plan(alice: User, bob: User) -> CarePlan:
    """A plan whose version 1 (agreed by both) holds one tender place of alice's."""
    care = careplan_create(actor=alice, connections=[connect(alice, bob)])
    v1 = proposal_create(
        actor=alice, plan=care, content={"places": [{"owner": str(alice.id), "name": PLACE}]}
    )
    agreement_give(actor=bob, plan=care, version=v1)
    return care


def _place_id(plan: CarePlan) -> str:
    active = Version.objects.get(plan=plan, status=Version.Status.ACTIVE)
    return str(document.loads(active.content)["places"][0]["id"])


def _form(plan: CarePlan, owner: User, name: str = PLACE, **extra: str) -> dict[str, str]:
    """The propose form as the page posts it, for the one place of ``plan``."""
    return {
        "place_count": "1",
        "section_count": "0",
        "place-0-id": _place_id(plan),
        "place-0-owner": str(owner.id),
        "place-0-name": name,
        **extra,
    }


def test_a_link_only_change_is_saved_without_proposing_anything(
    alice: User, plan: CarePlan
) -> None:
    theme = Theme.objects.create(owner=alice, name=CANARY)
    response = client_for(alice).post(
        f"/careplans/{plan.id}/propose/",
        _form(plan, alice, **{"place-0-theme": str(theme.id)}),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/careplans/{plan.id}/"
    assert "Your private theme links are saved." in response.content.decode()
    assert Version.objects.filter(plan=plan).count() == 1
    link = PlaceTheme.objects.get(owner=alice, plan=plan)
    assert (link.place_id, link.theme_id) == (_place_id(plan), theme.id)


def test_unlinking_alone_is_a_change_too_and_nothing_at_all_is_still_refused(
    alice: User, plan: CarePlan
) -> None:
    theme = Theme.objects.create(owner=alice, name=CANARY)
    PlaceTheme.objects.create(owner=alice, plan=plan, place_id=_place_id(plan), theme=theme)
    client = client_for(alice)
    unlinked = client.post(
        f"/careplans/{plan.id}/propose/", _form(plan, alice, **{"place-0-theme": ""})
    )
    assert unlinked.status_code == 302
    assert not PlaceTheme.objects.filter(owner=alice, plan=plan).exists()
    again = client.post(
        f"/careplans/{plan.id}/propose/", _form(plan, alice, **{"place-0-theme": ""})
    )
    assert again.status_code == 200
    assert "This is the same as the plan you already agreed on." in again.content.decode()
    assert Version.objects.filter(plan=plan).count() == 1


def test_a_person_without_themes_to_offer_keeps_their_links_when_proposing_a_text_change(
    alice: User, bob: User, plan: CarePlan
) -> None:
    # Bob has no theme, so his form has no select; he links nothing, and alice's link stays.
    theme = Theme.objects.create(owner=alice, name=CANARY)
    PlaceTheme.objects.create(owner=alice, plan=plan, place_id=_place_id(plan), theme=theme)
    client = client_for(bob)
    assert "place-0-theme" not in client.get(f"/careplans/{plan.id}/propose/").content.decode()
    response = client.post(
        f"/careplans/{plan.id}/propose/",
        {**_form(plan, alice), "place-1-name": "A call when I am late", "place_count": "2"},
    )
    assert response.status_code == 302
    assert Version.objects.filter(plan=plan, status=Version.Status.PROPOSED).count() == 1
    assert PlaceTheme.objects.get(owner=alice, plan=plan).theme_id == theme.id


def test_a_place_linked_to_an_archived_theme_stays_linked_when_its_form_is_saved(
    alice: User, plan: CarePlan
) -> None:
    theme = Theme.objects.create(owner=alice, name=CANARY)
    PlaceTheme.objects.create(owner=alice, plan=plan, place_id=_place_id(plan), theme=theme)
    theme_archive(actor=alice, theme=theme)
    client = client_for(alice)
    page = client.get(f"/careplans/{plan.id}/propose/").content.decode()
    # Still on offer, chosen and marked, though set aside: no other theme would be.
    assert f'<option value="{theme.id}" selected>{CANARY} (archived)</option>' in page
    response = client.post(
        f"/careplans/{plan.id}/propose/",
        _form(
            plan,
            alice,
            **{"place-0-ask_for": "a text before bed", "place-0-theme": str(theme.id)},
        ),
    )
    assert response.status_code == 302
    assert Version.objects.filter(plan=plan, status=Version.Status.PROPOSED).count() == 1
    assert PlaceTheme.objects.get(owner=alice, plan=plan).theme_id == theme.id


def test_a_proposal_and_its_links_are_saved_together_or_not_at_all(
    alice: User, bob: User, plan: CarePlan
) -> None:
    bobs = Theme.objects.create(owner=bob, name=CANARY)
    response = client_for(alice).post(
        f"/careplans/{plan.id}/propose/",
        _form(plan, alice, **{"place-0-ask_for": "a call", "place-0-theme": str(bobs.id)}),
    )
    # Bob's theme is not hers to link: the whole save fails, the proposal with it.
    assert response.status_code == 404
    assert Version.objects.filter(plan=plan).count() == 1
    assert not PlaceTheme.objects.exists()


def test_setting_links_is_audited_with_counts_and_never_words(alice: User, plan: CarePlan) -> None:
    theme = Theme.objects.create(owner=alice, name=CANARY)
    client_for(alice).post(
        f"/careplans/{plan.id}/propose/", _form(plan, alice, **{"place-0-theme": str(theme.id)})
    )
    event = AuditEvent.objects.get(action="careplans.place_themes")
    assert (event.actor_id, event.target_id) == (alice.id, str(plan.id))
    assert event.meta == {"linked": 1, "unlinked": 0}
    written = json.dumps(event.meta)
    assert CANARY not in written and PLACE not in written


def test_nothing_changed_records_no_event(alice: User, plan: CarePlan) -> None:
    assert place_themes_set(actor=alice, plan=plan, links={_place_id(plan): None}) == 0
    assert not AuditEvent.objects.filter(action="careplans.place_themes").exists()


def test_nobody_links_on_a_plan_they_cannot_see_or_with_a_theme_or_place_not_their_own(
    alice: User, bob: User, mallory: User, plan: CarePlan
) -> None:
    place = _place_id(plan)
    alices = Theme.objects.create(owner=alice, name=CANARY)
    mallorys = Theme.objects.create(owner=mallory, name="m")
    bobs = Theme.objects.create(owner=bob, name="b")
    with pytest.raises(Http404):
        place_themes_set(actor=mallory, plan=plan, links={place: mallorys.id})
    assert (
        client_for(mallory)
        .post(
            f"/careplans/{plan.id}/propose/",
            _form(plan, alice, **{"place-0-theme": str(mallorys.id)}),
        )
        .status_code
        == 404
    )
    # Bob is in the plan, but the place is alice's, and so is the theme.
    with pytest.raises(ValidationError):
        place_themes_set(actor=bob, plan=plan, links={place: bobs.id})
    with pytest.raises(Http404):
        place_themes_set(actor=alice, plan=plan, links={place: bobs.id})
    # The form never reads a link for someone else's place.
    client_for(bob).post(
        f"/careplans/{plan.id}/propose/", _form(plan, alice, **{"place-0-theme": str(bobs.id)})
    )
    assert not PlaceTheme.objects.exists()
    place_themes_set(actor=alice, plan=plan, links={place: alices.id})
    assert PlaceTheme.objects.get().owner_id == alice.id
