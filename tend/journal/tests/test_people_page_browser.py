"""The people page in real Chromium: on a phone from the journal, and on a desktop."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, new_page, screenshot
from tend.journal.models import Moment, Person
from tend.journal.people import person_add
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_people_are_added_renamed_and_removed_on_a_phone(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/journal/")
    page.get_by_role("link", name="Your people").click()
    page.wait_for_url("**/journal/people/")
    page.get_by_role("heading", name="No one here yet").wait_for()
    screenshot(page, "journal-people-empty-phone")
    assert_accessible(page)

    # Only spaces: refused with what to fix, next to the box.
    page.get_by_label("Add someone").fill("   ")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Write a few words.").wait_for()
    assert page.get_by_label("Add someone").get_attribute("aria-invalid") == "true"
    page.get_by_label("Add someone").fill("Sam")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Added. You can name them on any moment now.").wait_for()
    page.get_by_label("Add someone").fill("Robin")
    page.get_by_role("button", name="Add", exact=True).click()
    page.locator(".person-name", has_text="Robin").wait_for()
    sam = next(p for p in Person.objects.filter(owner=alice) if p.label == "Sam")
    moment_log(author=alice, states=["fight"], people=[str(sam.id)])

    # Renaming Robin to Sam is refused next to Robin's box, which stays open with "SAM" in it.
    page.get_by_text("Rename Robin").click()
    robin_box = page.locator(".person-row", has_text="Robin").get_by_label("New name")
    robin_box.fill("SAM")
    page.locator(".person-row", has_text="Robin").get_by_role("button", name="Save name").click()
    page.get_by_text("You already have someone with this name.").wait_for()
    assert (
        page.locator(".person-row", has_text="Robin").get_by_label("New name").input_value()
        == "SAM"
    )
    screenshot(page, "journal-people-rename-error-phone")
    assert_accessible(page)
    page.locator(".person-row", has_text="Robin").get_by_label("New name").fill("Robin R.")
    page.locator(".person-row", has_text="Robin").get_by_role("button", name="Save name").click()
    page.get_by_text("Renamed.").wait_for()
    assert page.locator(".person-name", has_text="Robin R.").is_visible()

    # Removing asks first, and says what happens to the moment that names Sam.
    page.get_by_role("link", name="Remove Sam").click()
    page.get_by_role("heading", name="Remove Sam from your list?").wait_for()
    assert page.get_by_text("The moment that names them stays in your journal").is_visible()
    screenshot(page, "journal-people-remove-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Remove Sam").click()
    page.wait_for_url("**/journal/people/")
    page.get_by_text("Removed from your list.").wait_for()
    assert [p.label for p in Person.objects.filter(owner=alice)] == ["Robin R."]
    assert Moment.objects.filter(author=alice).count() == 1
    screenshot(page, "journal-people-phone")
    assert_accessible(page)
    # The two refused forms answer 400, which Chromium logs; nothing else may go wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_the_people_page_on_a_desktop(live_server: Any, browser: Any, alice: User) -> None:
    for label in ("Sam", "Robin", "Ezra (metamour)"):
        person, _ = person_add(owner=alice, label=label)
    moment_log(author=alice, states=["freeze"], people=[str(person.id)])
    page = new_page(browser, {"width": 1280, "height": 900})
    try:
        sign_in(page, live_server, alice)
        page.goto(f"{live_server.url}/journal/people/")
        page.get_by_text("Named on 1 moment", exact=True).wait_for()
        screenshot(page, "journal-people-desktop")
        assert_accessible(page)
        page.emulate_media(color_scheme="dark")
        page.wait_for_timeout(400)  # let the colour transitions finish before the picture
        screenshot(page, "journal-people-desktop-dark")
        assert_accessible(page)
        page.emulate_media(color_scheme="light")
        page.goto(f"{live_server.url}/journal/people/{person.id}/delete/")
        screenshot(page, "journal-people-remove-desktop")
        assert_accessible(page)
    finally:
        page.context.close()
