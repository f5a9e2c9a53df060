"""The body map and the "When" picks in real Chromium: by tap, by keyboard, light and dark."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import DESKTOP, PHONE, assert_accessible, new_page, screenshot
from tend.journal.models import Moment
from tend.journal.services import moment_log
from tend.journal.tests.test_browser import open_folds, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figure_region(page: Any, code: str) -> Any:
    return page.locator(f'.bodymap-figures [data-region="{code}"]:visible').first


def test_body_regions_are_added_by_tap_and_by_keyboard_then_shown_on_the_moment(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    moment, _ = moment_log(author=alice, states=["freeze"], cue="no reply for hours")
    sign_in(page, live_server, alice)
    assert page.goto(f"{live_server.url}/journal/{moment.id}/edit/").status == 200
    open_folds(page)  # the edit form folds its sections
    figures = page.locator(".bodymap-figures")
    assert figures.is_visible()
    assert_accessible(page)

    # By pointer: tap the chest on the figure; its place in the list opens for the details.
    figure_region(page, "chest").tap()
    assert figure_region(page, "chest").get_attribute("aria-checked") == "true"
    chest = page.locator("#bodymap-chest")
    assert chest.get_by_role("checkbox", name="Chest", exact=True).is_checked()
    assert page.locator(".bodymap-chosen").inner_text() == "Chosen: Chest"
    chest.get_by_text("Tight", exact=True).tap()
    chest.get_by_label("Chest: how strong, from 0 to 10?").fill("7")
    screenshot(page, "bodymap-edit-phone")

    # By keyboard: turn to the back, Tab to the upper back, Space, a sensation, a strength.
    page.get_by_role("button", name="Back", exact=True).tap()
    page.get_by_role("button", name="Back", exact=True).focus()
    for _step in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.region") == "upper_back":
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Upper back"
    page.keyboard.press("Space")
    assert figure_region(page, "upper_back").get_attribute("aria-checked") == "true"
    upper_back = page.locator("#bodymap-upper_back")
    upper_back.get_by_role("checkbox", name="Heavy").focus()
    page.keyboard.press("Space")
    upper_back.get_by_label("Upper back: how strong, from 0 to 10?").focus()
    page.keyboard.type("4")
    # Enter on a region toggles it too (and does not submit the form): on, then off again.
    figure_region(page, "neck").focus()
    page.keyboard.press("Enter")
    assert figure_region(page, "neck").get_attribute("aria-checked") == "true"
    page.keyboard.press("Enter")
    assert figure_region(page, "neck").get_attribute("aria-checked") == "false"
    assert page.locator(".bodymap-chosen").inner_text() == "Chosen: Chest, Upper back"
    # A keyboard can also skip the figure and go straight to the list.
    page.locator(".bodymap-skip").focus()
    assert page.locator(".bodymap-skip").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "body-head-selected"
    screenshot(page, "bodymap-edit-back-phone")
    assert_accessible(page)

    page.get_by_text("A few minutes ago", exact=True).tap()
    page.get_by_role("button", name="Save").tap()
    page.wait_for_url(f"**/journal/{moment.id}/")
    moment.refresh_from_db()
    assert moment.body == [
        {"region": "chest", "sensations": ["tight"], "intensity": 7},
        {"region": "upper_back", "sensations": ["heavy"], "intensity": 4},
    ]
    assert moment.occurred_at < timezone.now() - dt.timedelta(minutes=9)
    assert page.get_by_text("Chest: Tight (7/10)").is_visible()
    assert page.get_by_text("Upper back: Heavy (4/10)").is_visible()
    shaded = page.locator(".bodymap-show .bm-region.is-selected")
    assert shaded.count() == 2  # the chest on the front, the upper back on the back
    screenshot(page, "bodymap-detail-phone")
    assert_accessible(page)
    assert page.console_errors == []


def test_a_wrong_strength_is_explained_and_the_choices_stay(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    moment, _ = moment_log(author=alice, states=["fight"])
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/journal/{moment.id}/edit/")
    open_folds(page)  # the edit form folds its sections
    page.locator("#bodymap-jaw").get_by_text("Jaw", exact=True).tap()
    page.locator("#bodymap-jaw").get_by_text("Tight", exact=True).tap()
    # The number box stops at 10 for a person; a script or an old browser might not.
    page.evaluate("document.getElementById('id_body-jaw-intensity').type = 'text'")
    page.locator("#id_body-jaw-intensity").fill("12")
    page.get_by_role("button", name="Save").tap()
    page.locator("#bodymap-errors").wait_for()
    assert page.get_by_text("Jaw: give the strength as a number from 0 to 10.").is_visible()
    assert figure_region(page, "jaw").get_attribute("aria-checked") == "true"
    assert page.locator("#bodymap-jaw").get_by_role("checkbox", name="Tight").is_checked()
    assert page.locator("#id_body-jaw-intensity").input_value() == "12"
    screenshot(page, "bodymap-error-phone")
    assert_accessible(page)
    assert Moment.objects.get(id=moment.id).body == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_body_map_looks_calm_on_desktop_and_in_dark_mode(
    live_server: Any, browser: Any, alice: User, scheme: str
) -> None:
    moment, _ = moment_log(
        author=alice,
        states=["flight"],
        cue="they left for their date",
        body=[
            {"region": "chest", "sensations": ["tight", "racing"], "intensity": 8},
            {"region": "throat", "sensations": ["knot"], "intensity": 6},
            {"region": "lower_back", "sensations": ["ache"], "intensity": None},
        ],
    )
    for device, viewport, extra in [
        ("desktop", DESKTOP, {}),
        ("phone", PHONE, {"is_mobile": True, "has_touch": True}),
    ]:
        page = new_page(browser, viewport, color_scheme=scheme, **extra)
        try:
            sign_in(page, live_server, alice)
            for name, url in [("edit", "edit/"), ("detail", "")]:
                assert page.goto(f"{live_server.url}/journal/{moment.id}/{url}").status == 200
                if name == "edit":
                    open_folds(page)
                    assert figure_region(page, "chest").get_attribute("aria-checked") == "true"
                    page.locator("#bodymap-chest").scroll_into_view_if_needed()
                screenshot(page, f"bodymap-{name}-{device}-{scheme}")
                assert_accessible(page)
            assert page.console_errors == []
        finally:
            page.context.close()


def test_without_javascript_the_list_alone_records_the_body(
    live_server: Any, browser: Any, alice: User
) -> None:
    page = new_page(browser, PHONE, java_script_enabled=False)
    try:
        moment, _ = moment_log(author=alice, states=["shutdown"])
        sign_in(page, live_server, alice)
        page.goto(f"{live_server.url}/journal/{moment.id}/edit/")
        open_folds(page)  # the edit form folds its sections
        assert not page.locator(".bodymap-figures").is_visible()
        belly = page.locator("#bodymap-belly")
        belly.get_by_text("Belly", exact=True).click()
        belly.get_by_text("Hollow", exact=True).click()
        belly.get_by_label(re.compile("^Belly: how strong")).fill("5")
        screenshot(page, "bodymap-no-js-phone")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**/journal/{moment.id}/")
        moment.refresh_from_db()
        assert moment.body == [{"region": "belly", "sensations": ["hollow"], "intensity": 5}]
    finally:
        page.context.close()
