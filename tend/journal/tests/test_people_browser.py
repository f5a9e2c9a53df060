"""On a phone: name someone, filter the journal by them, search, see an earlier version."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, screenshot
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import open_folds, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_people_filters_search_and_an_earlier_version_on_a_phone(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    moment, _ = moment_log(author=alice, states=["fight"], cue="phone at dinner")
    moment_log(author=alice, states=["flight"], cue="a walk alone")
    page = phone_page
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/journal/{moment.id}/edit/")
    open_folds(page)  # the edit form folds its sections
    page.get_by_label("Add someone").fill("Sam")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/journal/{moment.id}/")
    assert "Sam" in page.locator(".moment-detail").inner_text()
    page.get_by_role("link", name="As first written").click()
    assert "phone at dinner" in page.locator(".moment-detail").inner_text()
    assert_accessible(page)
    screenshot(page, "journal-version-phone")

    page.goto(f"{live_server.url}/journal/")
    page.locator(".filters-panel summary").click()
    page.get_by_label("Person").select_option(label="Sam")
    page.get_by_role("button", name="Show moments").click()
    assert "1 moment" in page.locator(".filters-result").inner_text()
    assert "a walk alone" not in page.content()
    page.get_by_label("Search your words").fill("DINNER")
    page.get_by_role("button", name="Search").click()
    assert "phone at dinner" in page.locator(".moments").inner_text()
    assert_accessible(page)
    screenshot(page, "journal-filters-phone")
