"""Themes: naming, renaming, archiving, filing moments, suggestions, and who may reach them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from tend.conftest import client_for
from tend.core.models import AuditEvent
from tend.journal.models import Moment, Theme
from tend.journal.suggest import ngrams, suggest_themes, words
from tend.journal.tests.factories import MomentFactory
from tend.journal.themes import (
    moment_file,
    theme_archive,
    theme_create,
    theme_delete,
    theme_for,
    theme_rename,
    themes_of,
)

pytestmark = pytest.mark.django_db

CANARY = "CANARY-theme-7b2f-only-alice"

PHONE_CUES = [
    "partner checked their phone at dinner",
    "phone buzzing during dinner again",
    "they scrolled the phone while we ate dinner",
    "phone face up on the table at dinner",
]
DATE_CUES = [
    "partner left for a date night with Sam",
    "waiting at home during their date",
    "they texted from the date",
]
OTHER_CUES = ["work meeting ran late", "argument about the dishes", "mum called about christmas"]


def file_cues(author: Any, theme: Theme | None, cues: list[str]) -> list[Moment]:
    return [MomentFactory(author=author, cue=cue, theme=theme) for cue in cues]


@pytest.fixture
def alices_themes(alice: Any) -> dict[str, Theme]:
    phone = theme_create(actor=alice, name="phone at dinner")
    dates = theme_create(actor=alice, name="partner's date nights")
    file_cues(alice, phone, PHONE_CUES)
    file_cues(alice, dates, DATE_CUES)
    file_cues(alice, None, OTHER_CUES)
    return {"phone": phone, "dates": dates}


# --- Naming, renaming, archiving ------------------------------------------------------------


def test_a_theme_name_is_encrypted_at_rest_and_never_audited(alice: Any) -> None:
    theme = theme_create(actor=alice, name=CANARY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM journal_theme")
        (raw,) = cursor.fetchone()
    assert CANARY.encode() not in bytes(raw)
    assert Theme.objects.get(id=theme.id).name == CANARY
    theme_rename(actor=alice, theme=theme, name=CANARY + " again")
    audit = " ".join(str(e.meta) + e.action for e in AuditEvent.objects.all())
    assert "journal.theme.create" in audit and "journal.theme.rename" in audit
    assert CANARY not in audit


def test_names_are_tidied_and_must_be_new_to_the_person(alice: Any, bob: Any) -> None:
    theme = theme_create(actor=alice, name="  phone   at dinner ")
    assert theme.name == "phone at dinner"
    with pytest.raises(ValidationError) as excinfo:
        theme_create(actor=alice, name="Phone at Dinner")
    assert "already" in " ".join(excinfo.value.message_dict["name"])
    # Bob's names are his own business: the same words are fine for him.
    assert theme_create(actor=bob, name="phone at dinner").owner == bob


@pytest.mark.parametrize(
    ("name", "says"),
    [("", "name of a few words"), ("x" * 81, "under 80"), ("bell\x07", "control characters")],
)
def test_a_bad_name_says_what_to_fix(alice: Any, name: str, says: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        theme_create(actor=alice, name=name)
    assert says in " ".join(excinfo.value.message_dict["name"])
    assert not Theme.objects.exists()


def test_archiving_keeps_the_moments_filed_and_deleting_unfiles_them(alice: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    (moment,) = file_cues(alice, theme, ["phone at dinner"])
    theme_archive(actor=alice, theme=theme)
    moment.refresh_from_db()
    assert moment.theme_id == theme.id
    assert list(themes_of(viewer=alice, archived=False)) == []
    theme_delete(actor=alice, theme=theme)
    moment.refresh_from_db()
    assert moment.theme_id is None
    assert Moment.objects.filter(id=moment.id).exists()


def test_themes_come_with_counts_of_moments_not_deleted(alice: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    moments = file_cues(alice, theme, ["one", "two", "three"])
    Moment.objects.filter(id=moments[0].id).update(deleted_at=moments[0].created_at)
    (listed,) = themes_of(viewer=alice)
    assert listed.moment_count == 2


# --- Who may reach a theme ------------------------------------------------------------------


def test_bob_cannot_see_rename_or_archive_alices_theme(alice: Any, bob: Any) -> None:
    theme = theme_create(actor=alice, name=CANARY)
    assert list(themes_of(viewer=bob)) == []
    with pytest.raises(Http404):
        theme_for(viewer=bob, id=theme.id)
    client = client_for(bob)
    assert (
        client.post(f"/journal/themes/{theme.id}/rename/", {"name": "mine now"}).status_code == 404
    )
    assert client.post(f"/journal/themes/{theme.id}/archive/").status_code == 404
    theme.refresh_from_db()
    assert (theme.name, theme.archived) == (CANARY, False)
    page = client.get("/journal/themes/")
    assert CANARY not in page.content.decode()


def test_bob_cannot_file_his_moment_under_alices_theme(alice: Any, bob: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    (bobs,) = file_cues(bob, None, ["phone at dinner"])
    with pytest.raises(ValidationError) as excinfo:
        moment_file(actor=bob, moment=bobs, theme=theme.id)
    assert excinfo.value.message_dict["theme"] == ["Choose one of your own themes."]
    response = client_for(bob).post(
        f"/journal/{bobs.id}/edit/", {"kind": "activation", "cue": "x", "theme": str(theme.id)}
    )
    assert response.status_code == 400
    bobs.refresh_from_db()
    assert bobs.theme_id is None


def test_filing_is_audited_and_does_not_mark_the_moment_edited(alice: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    (moment,) = file_cues(alice, None, ["phone at dinner"])
    moment_file(actor=alice, moment=moment, theme=theme)
    moment.refresh_from_db()
    assert (moment.theme_id, moment.edited) == (theme.id, False)
    event = AuditEvent.objects.get(action="journal.moment.file")
    assert event.meta == {"theme": str(theme.id)}
    moment_file(actor=alice, moment=moment, theme=None)
    moment.refresh_from_db()
    assert moment.theme_id is None


def test_an_archived_theme_takes_no_new_moments_but_keeps_its_own(alice: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    (kept,) = file_cues(alice, theme, ["phone"])
    (new,) = file_cues(alice, None, ["phone"])
    theme_archive(actor=alice, theme=theme)
    moment_file(actor=alice, moment=kept, theme=theme)  # no change, no error
    with pytest.raises(ValidationError) as excinfo:
        moment_file(actor=alice, moment=new, theme=theme)
    assert "archived" in " ".join(excinfo.value.message_dict["theme"])


# --- Suggestions ----------------------------------------------------------------------------


def test_words_and_ngrams_leave_out_stop_words_and_keep_word_edges() -> None:
    assert words("The phone, at Dinner!") == ["phone", "dinner"]
    assert words("partner's phone") == ["partners", "phone"]
    grams = ngrams("phone")
    assert {" ph", "pho", "one ", " phon", "phone"} <= set(grams)
    assert "e d" not in ngrams("phone dinner")  # n-grams stay inside a word


def test_a_cue_like_a_themes_cues_suggests_that_theme_and_says_why(
    alice: Any, alices_themes: dict[str, Theme]
) -> None:
    (best, *rest) = suggest_themes(viewer=alice, cue="phone out at dinner again")
    assert best.theme == alices_themes["phone"]
    assert best.shared_words == ("phone", "dinner")
    assert best.moment_count == 4
    assert best.explanation == "Shares the words “phone”, “dinner” with 4 moments in this theme."
    assert all(s.theme != alices_themes["phone"] for s in rest)

    (dates,) = suggest_themes(viewer=alice, cue="their date tonight")
    assert dates.theme == alices_themes["dates"]
    assert dates.shared_words == ("date",)


def test_close_forms_of_a_word_count_as_shared(alice: Any, alices_themes: dict[str, Theme]) -> None:
    (best,) = suggest_themes(viewer=alice, cue="phones at the table")
    assert best.theme == alices_themes["phone"]
    assert "phones" in best.shared_words


@pytest.mark.parametrize("cue", ["my boss shouted at me", "went for a run", "ok", "", "  "])
def test_a_cue_unlike_any_theme_suggests_nothing(
    alice: Any, alices_themes: dict[str, Theme], cue: str
) -> None:
    assert suggest_themes(viewer=alice, cue=cue) == []


def test_archived_themes_are_not_suggested(alice: Any, alices_themes: dict[str, Theme]) -> None:
    theme_archive(actor=alice, theme=alices_themes["phone"])
    assert suggest_themes(viewer=alice, cue="phone at dinner") == []


def test_the_moment_being_edited_does_not_suggest_its_own_theme(alice: Any) -> None:
    theme = theme_create(actor=alice, name="phone at dinner")
    (only,) = file_cues(alice, theme, ["phone at dinner"])
    assert suggest_themes(viewer=alice, cue="phone at dinner")
    assert suggest_themes(viewer=alice, cue="phone at dinner", exclude_moment=only.id) == []


def test_nobody_elses_cues_ever_influence_a_suggestion(alice: Any, bob: Any) -> None:
    # Bob writes about phones at dinner, a lot, under a theme of his own...
    bobs = theme_create(actor=bob, name="phone at dinner")
    file_cues(bob, bobs, PHONE_CUES * 3)
    # ... and alice has a theme that has nothing to do with phones.
    walks = theme_create(actor=alice, name="walks")
    file_cues(alice, walks, ["a walk in the park with partner", "evening walk by the river"])
    before = suggest_themes(viewer=alice, cue="phone at dinner again")
    assert before == []
    # His cues neither reach alice nor shift the weights of her own themes.
    alone = suggest_themes(viewer=alice, cue="a walk by the park")
    file_cues(bob, bobs, ["a walk in the park", "walk by the river in the evening"] * 5)
    assert suggest_themes(viewer=alice, cue="a walk by the park") == alone
    assert [s.theme for s in alone] == [walks]
    # And bob never hears of alice's theme, however close his words.
    assert all(s.theme.owner_id == bob.id for s in suggest_themes(viewer=bob, cue="walk park"))


# --- Pages -----------------------------------------------------------------------------------


def test_the_themes_page_explains_themes_when_there_are_none(alice: Any) -> None:
    page = client_for(alice).get("/journal/themes/").content.decode()
    assert "phone at dinner" in page and "partner's date nights" in page


def test_the_themes_page_names_renames_and_archives(alice: Any) -> None:
    client = client_for(alice)
    response = client.post("/journal/themes/", {"name": "phone at dinner"})
    assert response.status_code == 302
    theme = Theme.objects.get(owner=alice)
    file_cues(alice, theme, ["one", "two"])
    assert "2 moments" in client.get("/journal/themes/").content.decode()
    client.post(f"/journal/themes/{theme.id}/rename/", {"name": "phones at meals"})
    client.post(f"/journal/themes/{theme.id}/archive/", {"archived": "1"})
    theme.refresh_from_db()
    assert (theme.name, theme.archived) == ("phones at meals", True)
    client.post(f"/journal/themes/{theme.id}/archive/", {"archived": "0"})
    theme.refresh_from_db()
    assert theme.archived is False


def test_a_duplicate_name_on_the_themes_page_says_what_to_fix(alice: Any) -> None:
    client = client_for(alice)
    client.post("/journal/themes/", {"name": "phone at dinner"})
    response = client.post("/journal/themes/", {"name": "Phone at dinner"})
    assert response.status_code == 400
    assert "You have a theme with this name already." in response.content.decode()
    assert Theme.objects.count() == 1


def test_the_suggestion_endpoint_answers_a_partial_for_my_own_themes_only(
    alice: Any, bob: Any, alices_themes: dict[str, Theme]
) -> None:
    response = client_for(alice).post("/journal/themes/suggest/", {"cue": "phone at dinner"})
    assert response.status_code == 200
    assert "Perhaps “phone at dinner”?" in response.content.decode()
    assert (
        client_for(bob)
        .post("/journal/themes/suggest/", {"cue": "phone at dinner"})
        .content.decode()
        .strip()
        == ""
    )
