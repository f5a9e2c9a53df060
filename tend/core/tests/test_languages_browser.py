"""In a real browser, a page's scripts speak the page's language, and the picker offers only
complete languages. Screenshots: ``language-*.png``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest

from tend.accounts.models import User
from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.core.tests.test_languages import GERMAN
from tend.journal.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUSH_STATUS = {
    "This browser cannot receive push reminders. Email and in-app notices still work.": (
        "Dieser Browser kann keine Push-Erinnerungen empfangen. E-Mails und Hinweise in Tend "
        "kommen weiter an."
    ),
    "This device does not get push reminders yet.": (
        "Dieses Gerät bekommt noch keine Push-Erinnerungen."
    ),
    "Notifications are blocked for Tend in this browser\u2019s settings.": (
        "Mitteilungen von Tend sind in den Einstellungen dieses Browsers blockiert."
    ),
    "Reminders": "Erinnerungen",
    "Link copied": "Link kopiert",
    "Copied": "Kopiert",
    "Your profile is saved.": "Dein Profil ist gespeichert.",
    "Language": "Sprache",
}


@pytest.fixture
def german_page_words(tmp_path: Path, settings: Any) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    for (context, msgid), msgstr in GERMAN.items():
        po.append(polib.POEntry(msgctxt=context or None, msgid=msgid, msgstr=msgstr))
    for msgid, msgstr in PUSH_STATUS.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    target = tmp_path / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po.save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]


def test_a_scripts_sentence_comes_in_the_pages_language(
    phone_page: Any, live_server: Any, alice: User, german_page_words: None
) -> None:
    alice.language = "de"
    alice.save(update_fields=["language"])
    sign_in(phone_page, live_server, alice)
    phone_page.goto(f"{live_server.url}/notifications/settings/")
    status = phone_page.locator("#push-status")
    # push.js replaces the page's no-script sentence with one of the page's own translations.
    phone_page.wait_for_function(
        "() => !document.getElementById('push-status').textContent.includes('JavaScript')"
    )
    assert status.text_content() in {
        PUSH_STATUS[key]
        for key in (
            "This browser cannot receive push reminders. Email and in-app notices still work.",
            "This device does not get push reminders yet.",
            "Notifications are blocked for Tend in this browser\u2019s settings.",
        )
    }
    assert phone_page.locator("html").get_attribute("lang") == "de"
    screenshot(phone_page, "language-de-reminders-375")
    assert_accessible(phone_page)
    assert phone_page.console_errors == []


def test_the_picker_offers_english_and_each_complete_language(
    phone_page: Any, live_server: Any, alice: User, german_page_words: None
) -> None:
    sign_in(phone_page, live_server, alice)
    phone_page.goto(f"{live_server.url}/settings/")
    picker = phone_page.get_by_label("Language")
    assert picker.locator("option").all_text_contents() == ["English", "Deutsch"]
    picker.select_option("de")
    phone_page.get_by_role("button", name="Save profile").click()
    phone_page.wait_for_url(f"{live_server.url}/settings/")
    assert phone_page.locator("html").get_attribute("lang") == "de"
    assert phone_page.get_by_label("Sprache").input_value() == "de"
    assert phone_page.get_by_text("Dein Profil ist gespeichert.").is_visible()
    screenshot(phone_page, "language-de-settings-375")
    assert_accessible(phone_page)


def test_copying_an_invitation_link_says_so_in_the_pages_language(
    browser: Any, live_server: Any, alice: User, german_page_words: None
) -> None:
    alice.language = "de"
    alice.save(update_fields=["language"])
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        sign_in(page, live_server, alice)
        page.goto(f"{live_server.url}/connections/")
        page.locator("select[name=kind]").select_option("partner")
        page.locator("form[action$='/connections/invite/'] button[type=submit]").click()
        copy = page.locator("[data-copy-link]")
        copy.click()
        status = page.locator("[data-copy-status]")
        page.wait_for_function(
            "() => document.querySelector('[data-copy-status]').textContent !== ''"
        )
        assert status.text_content() == "Link kopiert"
        assert copy.text_content() == "Kopiert"
        screenshot(page, "language-de-invited-375")
    finally:
        page.context.close()
