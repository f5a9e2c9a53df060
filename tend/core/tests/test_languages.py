"""Only complete languages are offered; each person is spoken to in theirs, in pages, emails and
push messages; dates and numbers follow the language.

German is not offered while its catalogue is incomplete, so these tests compile a tiny German
catalogue of their own into a scratch LOCALE_PATHS and offer German for the test.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from tend.accounts.models import User
from tend.conftest import client_for
from tend.connections.services import connection_end, invitation_create
from tend.connections.tests.factories import connect
from tend.core import dates, languages
from tend.core.numbers import plain_number
from tend.notifications import delivery
from tend.notifications.models import PushSubscription
from tend.notifications.services import reminder_schedule

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
GERMAN = {
    ("", "You have a check-in today."): "Du hast heute einen Check-in.",
    ("", "An update from Tend"): "Neues von Tend",
    ("", "Someone you know invited you to connect on Tend"): "Jemand lädt dich zu Tend ein",
    ("", "Log a moment"): "Einen Moment festhalten",
    ("", "Not signed in"): "Nicht angemeldet",
    ("date format", "j F Y"): "j. F Y",
    ("date format", "l, j F Y, H:i"): "l, j. F Y, H:i",
}


@pytest.fixture
def german(tmp_path: Path, settings: Any) -> None:
    """A German catalogue of a few strings, compiled, and German offered."""
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "de",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for (context, msgid), msgstr in GERMAN.items():
        po.append(polib.POEntry(msgctxt=context or None, msgid=msgid, msgstr=msgstr))
    target = tmp_path / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po.save_as_mofile(str(target / "django.mo"))
    # Changing these settings clears Django's translation caches (its setting_changed handler).
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]


def _speaks(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- Offered languages ------------------------------------------------------------------------


def test_the_picker_offers_only_complete_languages(alice: User) -> None:
    page = client_for(alice).get("/settings/").content.decode()
    offered = [code for code, _name in languages.offered_languages()]
    for code, name in languages.KNOWN_LANGUAGES:
        assert (f'value="{code}"' in page) == (code in offered), name
    refused = client_for(alice).post(
        "/settings/", {"display_name": "", "time_zone": "Europe/Berlin", "language": "xx"}
    )
    assert refused.status_code == 400
    assert "Choose one of the languages in the list." in refused.content.decode()


def test_a_language_that_is_not_offered_is_never_spoken(alice: User, settings: Any) -> None:
    _speaks(alice, "de")  # chosen once, while German was offered
    settings.LANGUAGES = [("en", "English")]  # and German is offered no longer
    page = client_for(alice).get("/journal/new/").content.decode()
    assert '<html lang="en"' in page
    assert languages.language_for("de") == "en"
    with languages.spoken_to(alice) as language:
        assert language == "en"
        assert translation.get_language() == "en"


def test_an_offered_language_speaks_on_every_page(alice: User, german: None) -> None:
    _speaks(alice, "de")
    page = client_for(alice).get("/journal/new/").content.decode()
    assert '<html lang="de"' in page
    assert "Einen Moment festhalten" in page


def test_a_visitor_without_an_account_gets_the_language_their_browser_asks_for(
    german: None,
) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").get("/accounts/login/")
    assert page["Content-Language"] == "de"
    assert '<html lang="de"' in page.content.decode()
    # A language that is not offered is not spoken, whatever the browser asks.
    assert Client(HTTP_ACCEPT_LANGUAGE="fr").get("/accounts/login/")["Content-Language"] == "en"


def test_the_api_answers_problems_in_the_language_asked_for(alice: User, german: None) -> None:
    problem = Client(HTTP_ACCEPT_LANGUAGE="de").get("/api/v1/me")
    assert problem.status_code == 401
    assert problem["Content-Language"] == "de"
    assert problem.json()["title"] == "Nicht angemeldet"
    english = Client().get("/api/v1/me")
    assert english.json()["title"] == "Not signed in"


# --- Emails and push messages in each person's language --------------------------------------


def test_reminder_emails_and_push_texts_are_in_each_persons_language(
    alice: User, bob: User, german: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _speaks(alice, "de")
    pushed: list[tuple[str, dict[str, str]]] = []

    def push(subscription: PushSubscription, data: str) -> bool:
        pushed.append((subscription.user.email, json.loads(data)))
        return True

    monkeypatch.setattr(delivery, "send_push", push)
    for person in (alice, bob):
        PushSubscription.objects.create(
            user=person, endpoint=f"https://push.example/{person.id}", p256dh="k", auth="a"
        )
        reminder_schedule(recipient=person, code="checkin.due", key="k", due_at=NOW)
    # The worker runs in no one's request, in English.
    with translation.override("en"):
        assert delivery.deliver_due(now=NOW) == {"sent": 2}
    subjects = {email.to[0]: email.subject for email in mail.outbox}
    assert subjects == {
        alice.email: "Du hast heute einen Check-in.",
        bob.email: "You have a check-in today.",
    }
    german_email = next(email for email in mail.outbox if email.to == [alice.email])
    assert '<html lang="de">' in german_email.alternatives[0][0]
    assert {to: data["body"] for to, data in pushed} == {
        alice.email: "Du hast heute einen Check-in.",
        bob.email: "You have a check-in today.",
    }


def test_the_notice_that_a_connection_ended_is_in_the_readers_language(
    alice: User, bob: User, german: None, django_capture_on_commit_callbacks: Any
) -> None:
    _speaks(bob, "de")
    connection = connect(alice, bob)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        connection_end(actor=alice, connection=connection)
    [notice] = mail.outbox
    assert notice.to == [bob.email]
    assert notice.subject == "Neues von Tend"


def test_an_emailed_invitation_speaks_the_language_of_the_person_who_invites(
    alice: User, german: None, django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=alice, kind="partner", email="sam@example.test")
    [invitation] = mail.outbox
    assert invitation.subject == "Jemand lädt dich zu Tend ein"


# --- Dates and numbers -----------------------------------------------------------------------


def test_dates_follow_the_language(german: None) -> None:
    day = dt.date(2026, 12, 5)
    assert dates.when(day, "date") == "5 December 2026"
    with translation.override("de"):
        assert dates.when(day, "date") == "5. Dezember 2026"
        rendered = Template('{{ at|when:"weekday_datetime" }}').render(
            Context({"at": dt.datetime(2026, 12, 5, 20, 30, tzinfo=dt.UTC)})
        )
        assert rendered == "Samstag, 5. Dezember 2026, 20:30"
    with translation.override("fr"):
        assert dates.when(day, "date") == "5 décembre 2026"  # Django's month, Tend's order


def test_the_when_filter_shows_a_time_in_the_readers_zone_and_nothing_for_nothing() -> None:
    at = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
    template = Template('{{ at|when:"short_datetime" }}|{{ nothing|when:"date" }}')
    with translation.override("en"), timezone.override("Europe/Berlin"):
        assert template.render(Context({"at": at, "nothing": None})) == "6 Dec 2026, 00:30|"


def test_every_named_format_is_a_date_pattern() -> None:
    day = dt.datetime(2026, 12, 5, 20, 30, tzinfo=dt.UTC)
    for name in dates.FORMATS:
        assert "2026" in dates.when(day, name) or "5" in dates.when(day, name)


def test_numbers_follow_the_language() -> None:
    assert [plain_number(v) for v in (4.0, 4.5, 4.449, None)] == ["4", "4.5", "4.4", "\u2013"]
    with translation.override("de"):
        assert [plain_number(v) for v in (4.0, 4.5, -0.04)] == ["4", "4,5", "0"]
    with translation.override("fr"):
        assert plain_number(3.25) == "3,2"


def test_a_new_person_keeps_the_language_they_signed_up_in(german: None, db: None) -> None:
    fields = {"password1": "quiet-river-77x", "password2": "quiet-river-77x"}
    Client(HTTP_ACCEPT_LANGUAGE="de").post(
        "/accounts/signup/", {"email": "neu@example.test", **fields}
    )
    Client(HTTP_ACCEPT_LANGUAGE="fr").post(
        "/accounts/signup/", {"email": "nouveau@example.test", **fields}
    )
    assert User.objects.get(email="neu@example.test").language == "de"
    assert User.objects.get(email="nouveau@example.test").language == "en"  # not offered
    # The confirmation email went out in the page's language (allauth's own German words).
    german, french = mail.outbox
    assert german.to == ["neu@example.test"] and "E-Mail" in german.subject
    assert french.to == ["nouveau@example.test"] and "E-Mail" not in french.subject
