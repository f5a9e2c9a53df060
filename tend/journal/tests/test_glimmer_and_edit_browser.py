"""Glimmers in their own words, an edit form that folds like capture, and Delete kept apart from
saving: at 375x812, with axe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, screenshot
from tend.journal.management.commands.demo import populate
from tend.journal.models import Moment
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _chip_names(page: Any) -> list[str]:
    return [
        re.split(r"\s{2,}|\n", c.inner_text().strip())[0]
        for c in page.locator("fieldset .chip, fieldset label:has(input[type=checkbox])").all()
    ]


def test_a_glimmer_speaks_of_safety_and_its_delete_is_kept_apart(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(live_server.url + "/journal/new/?kind=glimmer")
    states = page.get_by_role("group", name="How does your body feel now?")
    for safe in ("Connected", "Calm", "Playful", "Still"):
        assert states.get_by_role("checkbox", name=re.compile(rf"^{safe}\b")).count() == 1, safe
    for threat in ("Fight", "Flight", "Freeze", "Fawn", "Shutdown"):
        assert states.get_by_role("checkbox", name=re.compile(rf"^{threat}\b")).count() == 0
    screenshot(page, "journal-glimmer-words-phone")
    assert_accessible(page)
    states.get_by_role("checkbox", name=re.compile(r"^Calm\b")).click()
    page.get_by_label("What helped you feel safe? (optional)").fill("sun on the balcony")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f-]{36}/$"))
    glimmer = Moment.objects.get(author=alice)
    assert (glimmer.kind, glimmer.states) == ("glimmer", ["calm"])

    # After saving, the one button is "Add more or change"; Delete waits, folded, at the foot.
    text = page.locator("main").inner_text()
    assert "underneath" not in text.lower()
    actions = page.locator(".moment-actions")
    assert actions.get_by_role("button", name="Delete").count() == 0
    delete = page.get_by_role("button", name="Delete")
    assert not delete.is_visible()
    card = page.locator(".moment-detail").bounding_box()
    zone = page.locator(".danger-zone").bounding_box()
    assert zone["y"] > card["y"] + card["height"]
    page.locator(".danger-zone summary").click()
    assert delete.is_visible()
    screenshot(page, "journal-glimmer-detail-danger-zone-phone")
    assert_accessible(page)

    # Its edit form asks a glimmer's questions, not an activation's.
    page.get_by_role("link", name="Add more or change").click()
    page.wait_for_url("**/edit/")
    text = page.locator("main").inner_text()
    for activation_words in (
        "Fight",
        "What story did your mind tell?",
        "What lies underneath?",
        "urge",
    ):
        assert activation_words not in text, activation_words
    assert page.get_by_label("What helped you feel safe?").input_value() == "sun on the balcony"
    assert page.get_by_role("checkbox", name=re.compile(r"^Calm\b")).is_checked()
    page.locator("summary", has_text="Where, and with whom").click()
    page.get_by_role("checkbox", name="At home").click()
    screenshot(page, "journal-glimmer-edit-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/journal/{glimmer.id}/")
    glimmer.refresh_from_db()
    assert glimmer.contexts == ["at_home"] and glimmer.states == ["calm"]
    assert page.console_errors == []


def test_the_edit_form_folds_and_opens_the_section_that_needs_fixing(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    populate(user=alice, seed=7)
    moment = Moment.objects.filter(author=alice, kind="activation").first()
    assert moment is not None and moment.needs
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/journal/{moment.id}/edit/")
    # An activation offers its own states, not a glimmer's.
    assert page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).count() == 1
    assert page.get_by_role("checkbox", name=re.compile(r"^Playful\b")).count() == 0
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"edit form at 375px: {height}px tall (was 8,143px unfolded)")
    assert height < 3000, height
    folds = page.locator("details.form-fold")
    assert folds.count() == 3
    assert all(not folds.nth(i).evaluate("d => d.open") for i in range(3))
    # Each section says whether something in it is filled in, without opening it.
    assert "filled in" in folds.nth(1).locator("summary").inner_text()
    screenshot(page, "journal-edit-folded-phone")
    assert_accessible(page)

    # A mistake in a folded section opens it, with the error and what was typed.
    after = folds.nth(2)
    after.locator("summary").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Minutes it took to settle").fill("-5")
    page.get_by_role("button", name="Save").click()
    after = page.locator("details.form-fold").nth(2)
    assert after.evaluate("d => d.open")
    assert page.get_by_label("Minutes it took to settle").input_value() == "-5"
    assert after.locator(".errorlist").is_visible()
    screenshot(page, "journal-edit-error-opened-phone")
    assert_accessible(page)
    # The form with a mistake is answered 400 on purpose; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
