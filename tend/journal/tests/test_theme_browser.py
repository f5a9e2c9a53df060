"""Themes in real Chromium on a phone: name one, see a suggestion while typing, file a moment."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import assert_accessible, screenshot
from tend.journal.models import Moment, Theme
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_naming_a_theme_then_filing_a_moment_under_its_suggestion(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    assert page.goto(live_server.url + "/journal/themes/").status == 200
    assert page.get_by_text("partner's date nights").is_visible()
    screenshot(page, "themes-empty-phone")
    assert_accessible(page)

    page.get_by_label("Name a new theme").fill("phone at dinner")
    page.get_by_role("button", name="Add theme").click()
    page.wait_for_url("**/journal/themes/")
    assert page.get_by_text("Theme added.").is_visible()
    theme = Theme.objects.get(owner=alice)

    for cue in ("partner checked their phone at dinner", "phone buzzing during dinner again"):
        filed, _ = moment_log(author=alice, states=["fight"], cue=cue)
        Moment.objects.filter(id=filed.id).update(theme=theme)
    moment, _ = moment_log(author=alice, states=["freeze"])
    page.goto(live_server.url + "/journal/themes/")
    assert page.get_by_text("2 moments").is_visible()
    screenshot(page, "themes-list-phone")
    assert_accessible(page)

    page.goto(f"{live_server.url}/journal/{moment.id}/edit/")
    page.get_by_label("What happened?").fill("phone out at dinner again")
    suggestion = page.locator(".theme-suggestion")
    suggestion.wait_for()
    assert "Perhaps “phone at dinner”?" in suggestion.inner_text()
    assert "Shares the words “phone”, “dinner” with 2 moments" in suggestion.inner_text()
    suggestion.scroll_into_view_if_needed()
    screenshot(page, "themes-suggestion-phone")
    assert_accessible(page)
    page.get_by_role("button", name="File under “phone at dinner”").click()
    assert page.get_by_label("File it under").input_value() == str(theme.id)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(rf"/journal/{moment.id}/$"))
    moment.refresh_from_db()
    assert moment.theme_id == theme.id
    assert page.locator("dd", has_text="phone at dinner").is_visible()
    screenshot(page, "themes-filed-detail-phone")
    assert_accessible(page)
    assert not page.console_errors  # type: ignore[attr-defined]


def test_the_themes_page_on_a_desktop_with_an_archived_theme(
    live_server: Any, desktop_page: Any, alice: User
) -> None:
    from tend.journal.themes import theme_archive, theme_create

    theme_create(actor=alice, name="phone at dinner")
    theme_archive(actor=alice, theme=theme_create(actor=alice, name="Sunday evenings"))
    page = desktop_page
    sign_in(page, live_server, alice)
    assert page.goto(live_server.url + "/journal/themes/").status == 200
    page.locator(".theme-rename summary").first.click()
    assert page.get_by_label("New name").first.is_visible()
    assert page.get_by_role("button", name="Bring back Sunday evenings").is_visible()
    screenshot(page, "themes-list-desktop")
    assert_accessible(page)
