"""Reading Tend's translation catalogues: what is missing, untranslated, fuzzy or stale.

``extract()`` runs Django's ``makemessages`` (which needs GNU gettext's xgettext) with the same
options as ``make messages``, into a directory of the caller's choosing, so a test can compare
the strings the code marks today with what each catalogue holds.
"""

from __future__ import annotations

import gettext
import os
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

import polib
from django.core.management import call_command
from django.test.utils import override_settings

ROOT = Path(__file__).resolve().parents[3]
LOCALE_DIR = ROOT / "tend" / "locale"
# What makemessages leaves out: everything that is not Tend's code, and the tests. `make
# messages` passes the same patterns. tend/locale itself too: makemessages would otherwise take
# any `locale` folder it walks past as where the strings beside it go, and write the scratch
# extraction into the real catalogues.
IGNORE_PATTERNS = (
    "tend/locale",
    "bench/*",
    "docs/*",
    "scripts/*",
    "var/*",
    "artifacts/*",
    "build/*",
    "node_modules/*",
    "*/tests/*",
)

Key = tuple[str, str]  # (context, msgid)


@dataclass(frozen=True)
class Problem:
    language: str
    kind: str  # untranslated, fuzzy, missing, stale-mo, no-catalogue
    msgid: str
    context: str = ""

    def __str__(self) -> str:
        where = f" (context {self.context!r})" if self.context else ""
        return f"{self.language}: {self.kind}: {self.msgid!r}{where}"


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete and entry.msgid]


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid)


def catalogue_problems(language: str, po_file: Path) -> list[Problem]:
    """Untranslated and fuzzy entries of one catalogue."""
    if not po_file.exists():
        return [Problem(language, "no-catalogue", str(po_file))]
    found = []
    for entry in _entries(polib.pofile(str(po_file))):
        if "fuzzy" in entry.flags:
            found.append(Problem(language, "fuzzy", entry.msgid, entry.msgctxt or ""))
        elif not entry.translated():
            found.append(Problem(language, "untranslated", entry.msgid, entry.msgctxt or ""))
    return found


def missing_from(language: str, po_file: Path, marked: set[Key]) -> list[Problem]:
    """Strings the code marks for translation that the catalogue does not hold at all."""
    if not po_file.exists():
        return []
    held = {_key(entry) for entry in _entries(polib.pofile(str(po_file)))}
    return [
        Problem(language, "missing", msgid, context) for context, msgid in sorted(marked - held)
    ]


def compiled_problems(language: str, po_file: Path) -> list[Problem]:
    """Where the compiled ``django.mo`` beside ``po_file`` says something other than the .po."""
    mo_file = po_file.with_suffix(".mo")
    if not mo_file.exists():
        return [Problem(language, "stale-mo", f"{mo_file} is missing")]
    with mo_file.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in _entries(polib.pofile(str(po_file))):
        if "fuzzy" in entry.flags or not entry.translated():
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in sorted(entry.msgstr_plural.items()):
                expected[(key, int(index))] = text
        else:
            expected[key] = entry.msgstr
    actual = {key: text for key, text in compiled.items() if key != ""}
    return [
        Problem(language, "stale-mo", str(key[0] if isinstance(key, tuple) else key))
        for key in sorted(set(expected) | set(actual), key=str)
        if expected.get(key) != actual.get(key)
    ]


def extract(locale_dir: Path, language: str = "de") -> set[Key]:
    """Every (context, msgid) the code and templates mark today, read by makemessages."""
    with override_settings(LOCALE_PATHS=[str(locale_dir)]), chdir(ROOT):
        call_command(
            "makemessages",
            locale=[language],
            domain="django",
            ignore_patterns=list(IGNORE_PATTERNS),  # a copy: makemessages adds to it
            no_obsolete=True,
            verbosity=0,
        )
    return {_key(entry) for entry in _entries(polib.pofile(str(po_path(language, locale_dir))))}


def has_xgettext() -> bool:
    return any(
        (Path(folder) / "xgettext").exists() for folder in os.environ.get("PATH", "").split(":")
    )
