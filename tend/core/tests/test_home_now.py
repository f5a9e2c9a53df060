"""Home for a returning person: what matters now, one line each, read through selectors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.careplans.services import careplan_create, proposal_create
from tend.conftest import assert_accessible, client_for, screenshot
from tend.connections.tests.factories import connect
from tend.journal.tests.factories import MomentFactory
from tend.journal.tests.test_browser import sign_in
from tend.notifications.models import Notification
from tend.practices.tests.factories import PracticeSessionFactory
from tend.rituals.models import Ritual
from tend.rituals.services import checkin_start, ritual_create

pytestmark = pytest.mark.django_db

# Words that would turn Home into a scold.
GUILT = re.compile(r"missed|streak|overdue|haven.t|should|behind", re.I)


def alices_weeks(alice: User, bob: User) -> dict[str, Any]:
    """A few weeks of alice's life with bob: a proposal from him, a daily ritual, a practice
    that helped her twice, and a glimmer."""
    together = connect(alice, bob)
    Notification.objects.filter(recipient=alice).update(read_at=timezone.now())
    plan = careplan_create(actor=alice, connections=[together])
    proposal_create(actor=bob, plan=plan, content={"places": [], "sections": []})
    ritual = ritual_create(
        actor=alice,
        connection=together,
        kind=Ritual.Kind.AFFIRMATION,
        rrule="FREQ=DAILY",
        start_date=timezone.localdate() - dt.timedelta(days=3),
        start_time=dt.time(8, 30),
        words="I choose you, today too",
    )
    for _ in range(2):
        PracticeSessionFactory(author=alice, practice_code="feet_on_floor")
    glimmer = MomentFactory(
        author=alice,
        kind="glimmer",
        states=["connected"],
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )
    return {"plan": plan, "ritual": ritual, "glimmer": glimmer}


def lines_of(body: str) -> list[tuple[str, str]]:
    return [
        (kind, re.sub(r"\s+", " ", text).strip())
        for kind, text in re.findall(
            r'<li class="now-line now-(\w+)"><a href="[^"]*">([^<]*)</a>', body
        )
    ]


def test_home_shows_what_waits_the_next_ritual_what_helped_and_the_last_glimmer(
    alice: User, bob: User
) -> None:
    world = alices_weeks(alice, bob)
    body = client_for(alice).get("/home/").content.decode()
    lines = dict(lines_of(body))
    assert lines["waiting"] == "A care plan proposal is waiting for you"
    assert f'href="/careplans/{world["plan"].id}/"' in body
    assert lines["ritual"].startswith("Next: Affirmation, ")
    assert lines["ritual"].endswith("at 08:30")
    assert f'href="/rituals/{world["ritual"].id}/"' in body
    assert lines["practice"] == "Feet on the floor has helped you before"
    assert lines["glimmer"] == "Your last glimmer, 2 days ago: Connected"
    assert f'href="/journal/{world["glimmer"].id}/"' in body
    # Every line is one line of kind words: no counting of what was not done.
    assert not GUILT.search(" ".join(text for _kind, text in lines_of(body)))
    assert "Your account" not in body


def test_unread_notices_are_one_line_and_the_proposal_is_not_told_twice(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world = alices_weeks(alice, bob)
    # The proposal's own notice is unread, but its news is already the proposal line.
    assert Notification.objects.filter(recipient=alice, read_at=None).count() == 1
    waiting = [
        text
        for kind, text in lines_of(client_for(alice).get("/home/").content.decode())
        if kind == "waiting"
    ]
    assert waiting == ["A care plan proposal is waiting for you"]
    with django_capture_on_commit_callbacks(execute=True):
        checkin_start(actor=bob, connection=world["plan"].connection)
    waiting = [
        text
        for kind, text in lines_of(client_for(alice).get("/home/").content.decode())
        if kind == "waiting"
    ]
    assert waiting == ["A care plan proposal is waiting for you", "1 new thing from Together"]


def test_home_shows_only_ones_own_things(alice: User, bob: User, mallory: User) -> None:
    world = alices_weeks(alice, bob)
    bobs = client_for(bob).get("/home/").content.decode()
    # Bob proposed: nothing waits for him. Her glimmer and her practice are hers alone.
    assert "now-waiting" not in bobs
    assert str(world["glimmer"].id) not in bobs and "now-glimmer" not in bobs
    assert "now-practice" not in bobs
    # The ritual is theirs together, so it is his next ritual too.
    assert "now-ritual" in bobs
    mallorys = client_for(mallory).get("/home/").content.decode()
    assert "now-line" not in mallorys and "Your account" in mallorys


def test_a_practice_that_did_not_help_is_not_offered_as_helping(alice: User) -> None:
    for _ in range(2):
        PracticeSessionFactory(
            author=alice, practice_code="feet_on_floor", intensity_before=5, intensity_after=6
        )
    assert "now-practice" not in client_for(alice).get("/home/").content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_on_a_phone_shows_each_line_as_a_generous_target(
    live_server: Any, phone_page: Any, alice: User, bob: User
) -> None:
    alices_weeks(alice, bob)
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/home/")
    links = page.locator(".now-lines a")
    assert links.count() == 4
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None and box["height"] >= 48
    screenshot(page, "home-for-now-phone")
    assert_accessible(page)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(400)  # let the colour transitions finish before the picture
    screenshot(page, "home-for-now-phone-dark")
    assert_accessible(page)
    links.filter(has_text="Feet on the floor").click()
    page.wait_for_url("**/practices/practice/feet_on_floor/")
