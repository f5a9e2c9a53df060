"""The coaching journey on the real server, as `make run` serves it (tend/core/tests/served.py).

Dana offers calls; Sam books one with a recent moment; Dana fills the worksheet from the intake
and hands it over; Sam signs up from the emailed link, brings the themes and the moment into the
journal and shares the trigger map; Dana sees it, suggests a practice and sends a summary; Sam
revokes the share and Dana's next request for it is a 404. Everything goes through the pages and
the emails the served app writes (its database is another process's): nothing is set up by hand.
Phone-sized (375x812) throughout, with Dana's worksheet and client page also at 1280x800.
Screenshots: served-coaching-<nn>-<step>.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest

from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.core.tests.served import Served, tend_serve
from tend.core.tests.test_served import sign_up

pytestmark = [pytest.mark.served, pytest.mark.browser]

DANA = "dana@example.test"
SAM = "sam@example.test"
CUE = "My partner's phone lit up at dinner and they smiled at it"
THEMES = ("Phone at dinner", "Date nights")
NOTE = "Try it before bed, even for one minute."
SUMMARY = "We found the alarm at dinner.\nWhat helps: a hand on the chest, feet on the floor."
LAPTOP = {"width": 1280, "height": 800}
STEPS = count(1)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with tend_serve() as server:
        yield server


def look(page: Any, name: str, *, check: bool = True) -> None:
    """Photograph the next step from the top; hold the page to axe if asked; no console errors."""
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"served-coaching-{next(STEPS):02d}-{name}")
    if check:
        assert_accessible(page)
    assert page.console_errors == [], page.console_errors


def main_text(page: Any) -> str:
    return str(page.inner_text("main"))


def link_in(served: Served, body: str, path: str) -> str:
    """The link to ``path`` in an email body, which must name the server that sent it."""
    found = re.search(rf"https?://\S+{re.escape(path)}\S*", body)
    assert found is not None, body
    assert found.group(0).startswith(served.url + "/"), found.group(0)
    return found.group(0)


def name_myself(page: Any, served: Served, name: str) -> None:
    page.goto(served.url + "/settings/")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()


def offer_calls(page: Any, served: Served) -> str:
    """Dana turns her booking page on and opens every day 08:00-20:00; the public page's path."""
    page.goto(served.url + "/booking/")
    page.get_by_role("button", name="Turn my booking page on").click()
    page.get_by_text("Your booking page is on.").first.wait_for()
    public = page.locator("a[href^='/book/']").first.get_attribute("href")
    assert public is not None
    page.goto(served.url + "/booking/hours/")
    for day in range(7):
        page.locator(f"#id_day{day}").fill("08:00-20:00")
    page.get_by_role("button", name="Save hours").click()
    page.get_by_text("Your hours are saved.").wait_for()
    return str(public)


def book_with_a_moment(page: Any, served: Served, public: str) -> None:
    page.goto(served.url + public)
    page.get_by_role("link", name="Trigger Mapping Call").click()
    page.locator(".book-slots a").first.click()
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Your email").fill(SAM)
    page.get_by_label("Polyamorous").check()
    page.get_by_label("What brings you to the call?").fill("Jealousy when my partner dates")
    page.get_by_label("What happened (the cue)").fill(CUE)
    page.get_by_label("Flight", exact=True).check()
    page.get_by_label("Where you felt it most").select_option(label="Chest")
    page.get_by_label("How strong it was (0 to 10)").select_option("7")
    look(page, "intake")
    page.get_by_role("button", name="Book this call").click()
    page.get_by_text("Your call is booked.").wait_for()


def share_map(page: Any, served: Served) -> None:
    page.goto(served.url + "/connections/")
    page.get_by_role("link", name="Dana").first.click()
    page.get_by_role("link", name="Share something with Dana").click()
    page.get_by_label("My trigger map").check()
    page.get_by_role("button", name="Share", exact=True).click()
    page.get_by_text("Shared with Dana").first.wait_for()


def test_a_call_becomes_a_clients_map_on_the_served_app(served: Served, browser: Any) -> None:
    dana = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    sam = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        # 1. Dana signs up, names herself and offers calls.
        sign_up(dana, served, DANA)
        name_myself(dana, served, "Dana")
        public = offer_calls(dana, served)

        # 2. Sam books the free call with a recent moment.
        book_with_a_moment(sam, served, public)
        look(sam, "booked")

        # 3. Dana's practice counts it; she opens the call and its worksheet, on her laptop.
        dana.goto(served.url + "/booking/calls/")
        dana.get_by_role("link", name="Your practice").click()
        dana.wait_for_url("**/coaching/")
        text = main_text(dana)
        assert "1 new booking to review" in text and "1 call in the next 7 days" in text
        assert "Sam" not in text and CUE not in dana.content()
        look(dana, "dashboard")
        dana.get_by_role("link", name="Review them in your calls").click()
        dana.locator(".book-call-list li", has_text="Sam").get_by_role("link").click()
        dana.get_by_role("link", name="Open the worksheet").click()
        dana.wait_for_url("**/coaching/calls/*/worksheet/")
        dana.set_viewport_size(LAPTOP)
        assert dana.get_by_label("What happened (the cue)").input_value() == CUE
        assert dana.locator("#moment_states-flight").is_checked()
        assert dana.get_by_label("Where they felt it").input_value() == "chest"
        look(dana, "worksheet-from-intake")
        dana.get_by_label("Themes, one per line").fill("\n".join(THEMES))
        dana.get_by_label("What helps", exact=True).fill("A hand on my chest, feet on the floor")
        dana.get_by_role("button", name="Save the worksheet").click()
        dana.get_by_text("The worksheet is saved.").wait_for()
        worksheet = dana.url
        dana.get_by_role("button", name="Send the invitation").click()
        dana.get_by_text("Sent.").wait_for()
        look(dana, "handed-over", check=False)
        dana.set_viewport_size(PHONE)

        # 4. Sam opens the emailed link, signs up, accepts and brings the map in.
        body = served.wait_for_email(SAM, count=2)
        assert all(theme not in body for theme in THEMES) and CUE not in body
        sam.goto(link_in(served, body, "/connections/join/?t="))
        assert "Dana invites" in main_text(sam)
        look(sam, "join")
        sign_up(sam, served, SAM, start="/connections/join/", mail=3)
        sam.get_by_role("button", name="Accept and connect").click()
        sam.wait_for_url("**/connections/*-*/")
        look(sam, "connected")
        sam.get_by_role("link", name="Open the map").click()
        sam.wait_for_url("**/coaching/maps/*/")
        assert CUE in main_text(sam)
        look(sam, "map-handed-over")
        for item in ("moment", "theme0", "theme1"):
            sam.locator(f"label[for='item-{item}']").click()
        sam.get_by_label("File the moment under").select_option(label=THEMES[0])
        sam.get_by_role("button", name="Bring what you chose into your journal").click()
        sam.get_by_text("3 items are in your journal now.").wait_for()
        look(sam, "brought")
        sam.goto(served.url + "/insights/")
        assert THEMES[0] in main_text(sam)
        look(sam, "their-map")

        # Dana's page of Sam: nothing of Sam's until Sam shares.
        dana.goto(served.url + "/coaching/clients/")
        assert "Shares nothing with you at the moment." in main_text(dana)
        look(dana, "clients")
        dana.get_by_role("link", name=re.compile("sam", re.IGNORECASE)).first.click()
        dana.wait_for_url("**/coaching/clients/*/")
        client_page = dana.url
        assert "Nothing at the moment." in main_text(dana) and THEMES[0] not in main_text(dana)

        # 5. Sam shares the trigger map; Dana sees it in place and on its shared page.
        share_map(sam, served)
        dana.set_viewport_size(LAPTOP)
        dana.goto(client_page)
        text = main_text(dana)
        assert "Their trigger map" in text and THEMES[0] in text
        look(dana, "client-sees-map")
        dana.set_viewport_size(PHONE)
        dana.goto(served.url + "/connections/shared/")
        dana.locator("a.share-link").first.click()
        dana.wait_for_url("**/connections/shared/*/")
        shared_map = dana.url
        assert THEMES[0] in main_text(dana)
        look(dana, "shared-map")
        sam.goto(served.url + "/connections/shares/")
        assert "Dana looked at your trigger map" in main_text(sam)
        look(sam, "who-looked")

        # 6. Dana suggests the long exhale weekly, with a note; Sam finds it on the home page.
        dana.goto(client_page)
        dana.get_by_label("Practice", exact=True).select_option("long_exhale")
        dana.locator("label[for='rhythm-weekly']").click()
        dana.locator("label[for='day-MO']").click()
        dana.get_by_label("A note for them (optional)").fill(NOTE)
        dana.get_by_role("button", name="Suggest", exact=True).click()
        dana.get_by_text("Suggested.").wait_for()
        look(dana, "suggested", check=False)
        sam.goto(served.url + "/home/")
        card = sam.locator(".coach-suggestion").inner_text()
        assert "A suggestion from Dana" in card and NOTE in card
        look(sam, "home-suggestion")
        # The emails about the suggestion and the summary name nothing anyone wrote.
        assert NOTE not in served.wait_for_email(SAM, count=4)

        # 7. Dana writes the summary of the call and sends it; Sam keeps it in the journal.
        dana.get_by_role("link", name="Summary for them").first.click()
        dana.wait_for_url("**/coaching/calls/*/summary/")
        assert dana.url.replace("/summary/", "/worksheet/") == worksheet
        dana.get_by_label("Your summary").fill(SUMMARY)
        dana.get_by_role("button", name="Send to Sam").click()
        dana.get_by_text("Sent. It is theirs now").wait_for()
        look(dana, "summary-sent")
        sam.goto(served.url + "/journal/")
        sam.get_by_role("link", name="Summaries of your calls").click()
        sam.get_by_role("link", name="From Dana").click()
        sam.wait_for_url("**/coaching/summaries/*/")
        assert "We found the alarm at dinner." in main_text(sam)
        look(sam, "summary-received")
        assert "alarm at dinner" not in served.wait_for_email(SAM, count=5)

        # 8. Sam revokes the map; Dana's next request for it is the same 404 as for nothing.
        sam.goto(served.url + "/connections/shares/")
        sam.get_by_role("button", name="Revoke", exact=True).click()
        sam.get_by_text("Revoked.").wait_for()
        look(sam, "revoked", check=False)
        response = dana.goto(shared_map)
        assert response is not None and response.status == 404
        dana.console_errors.clear()  # that 404 was the point
        look(dana, "gone", check=False)
        dana.goto(client_page)
        assert "Their trigger map" not in main_text(dana)
        look(dana, "after-revoke", check=False)
        assert "Traceback" not in served.log_tail(400), served.log_tail(80)
    finally:
        dana.context.close()
        sam.context.close()
