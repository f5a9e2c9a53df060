"""A language is offered only with a complete catalogue: every marked string translated, none
fuzzy, and the committed .mo saying what the .po says."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

from tend.core import languages
from tend.core.tests.i18n_catalogue import (
    IGNORE_PATTERNS,
    LOCALE_DIR,
    catalogue_problems,
    compiled_problems,
    extract,
    has_xgettext,
    missing_from,
    po_path,
)

OFFERED_TRANSLATIONS = [code for code in languages.OFFERED if code != languages.DEFAULT]


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """What the code marks for translation today (makemessages, into a scratch directory)."""
    assert has_xgettext(), "GNU gettext is needed to read the marked strings: make system-deps"
    before = _snapshot()
    found = extract(tmp_path_factory.mktemp("locale"))
    assert _snapshot() == before, "the extraction must never write into tend/locale"
    return found


def _snapshot() -> dict[str, bytes]:
    return {
        str(path): path.read_bytes() for path in sorted(LOCALE_DIR.rglob("*")) if path.is_file()
    }


def test_every_offered_language_has_a_complete_current_catalogue(
    marked: set[tuple[str, str]],
) -> None:
    problems = []
    for language in OFFERED_TRANSLATIONS:
        po_file = po_path(language)
        problems += catalogue_problems(language, po_file)
        problems += missing_from(language, po_file, marked)
        problems += compiled_problems(language, po_file)
    assert not problems, (
        "An offered language must be complete (run `make messages`, translate, then "
        "`make catalogues`):\n" + "\n".join(map(str, problems[:50]))
    )


def test_the_extraction_reads_code_templates_and_contexts(marked: set[tuple[str, str]]) -> None:
    assert ("", "Log a moment") in marked  # a template
    assert ("", "Choose one of the languages in the list.") in marked  # a form
    assert ("", "There is nothing here, or it is not yours.") in marked  # an API problem
    assert ("nervous system state", "Flight") in marked  # a vocabulary, with its context
    assert ("breath phase", "Hold") in marked  # the practice library


def test_settings_offer_english_and_each_compiled_language() -> None:
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[0] == "en"
    assert set(codes) == set(languages.OFFERED)
    assert set(codes) <= {code for code, _name in languages.KNOWN_LANGUAGES}
    # Each offered translation has its catalogue, compiled: `make run` needs no gettext tools.
    for language in OFFERED_TRANSLATIONS:
        assert po_path(language).with_suffix(".mo").exists()


def test_a_language_is_offered_once_its_compiled_catalogue_is_committed(tmp_path: Path) -> None:
    assert languages.compiled_languages(tmp_path) == ("en",)
    po_file = _catalogue(tmp_path, _complete())  # German, compiled
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "fr" / "LC_MESSAGES" / "django.po").write_text("")  # French, under way
    (tmp_path / "xx" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "xx" / "LC_MESSAGES" / "django.mo").write_bytes(b"")  # not a language Tend knows
    assert po_file.with_suffix(".mo").exists()
    assert languages.compiled_languages(tmp_path) == ("en", "de")


# --- The checks themselves, on a scratch catalogue --------------------------------------------


def _catalogue(tmp_path: Path, entries: list[polib.POEntry]) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    for entry in entries:
        po.append(entry)
    target = po_path("de", tmp_path)
    target.parent.mkdir(parents=True)
    po.save(str(target))
    po.save_as_mofile(str(target.with_suffix(".mo")))
    return target


def _complete() -> list[polib.POEntry]:
    return [
        polib.POEntry(msgid="Log a moment", msgstr="Einen Moment festhalten"),
        polib.POEntry(msgctxt="breath phase", msgid="Hold", msgstr="Halten"),
        polib.POEntry(
            msgid="%(n)s moment",
            msgid_plural="%(n)s moments",
            msgstr_plural={0: "%(n)s Moment", 1: "%(n)s Momente"},
        ),
    ]


MARKED = {("", "Log a moment"), ("breath phase", "Hold"), ("", "%(n)s moment")}


def test_a_complete_catalogue_passes(tmp_path: Path) -> None:
    po_file = _catalogue(tmp_path, _complete())
    assert catalogue_problems("de", po_file) == []
    assert missing_from("de", po_file, MARKED) == []
    assert compiled_problems("de", po_file) == []


def test_a_string_left_out_of_the_catalogue_fails(tmp_path: Path) -> None:
    po_file = _catalogue(tmp_path, _complete()[1:])
    assert [str(p) for p in missing_from("de", po_file, MARKED)] == ["de: missing: 'Log a moment'"]


def test_an_untranslated_or_fuzzy_string_fails(tmp_path: Path) -> None:
    entries = _complete()
    entries[0].msgstr = ""
    entries[1].flags.append("fuzzy")
    po_file = _catalogue(tmp_path, entries)
    assert [str(p) for p in catalogue_problems("de", po_file)] == [
        "de: untranslated: 'Log a moment'",
        "de: fuzzy: 'Hold' (context 'breath phase')",
    ]


def test_a_half_translated_plural_fails(tmp_path: Path) -> None:
    entries = _complete()
    entries[2].msgstr_plural = {0: "%(n)s Moment", 1: ""}
    po_file = _catalogue(tmp_path, entries)
    assert [p.kind for p in catalogue_problems("de", po_file)] == ["untranslated"]


def test_a_compiled_catalogue_older_than_its_po_fails(tmp_path: Path) -> None:
    po_file = _catalogue(tmp_path, _complete())
    po = polib.pofile(str(po_file))
    po.find("Log a moment").msgstr = "Einen Moment notieren"
    po.save(str(po_file))  # the .mo still says "festhalten"
    assert [str(p) for p in compiled_problems("de", po_file)] == ["de: stale-mo: 'Log a moment'"]
    po_file.with_suffix(".mo").unlink()
    assert [p.kind for p in compiled_problems("de", po_file)] == ["stale-mo"]


def test_no_catalogue_at_all_fails(tmp_path: Path) -> None:
    assert [p.kind for p in catalogue_problems("de", po_path("de", tmp_path))] == ["no-catalogue"]


def test_the_catalogues_live_where_django_looks() -> None:
    assert Path(settings.LOCALE_PATHS[0]) == LOCALE_DIR


def test_make_messages_extracts_what_the_test_compares() -> None:
    makefile = (LOCALE_DIR.parents[1] / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if line.startswith("MESSAGES_IGNORE"))
    listed = line.split("foreach p,", 1)[1].split(",", 1)[0].split()
    assert tuple(listed) == IGNORE_PATTERNS
