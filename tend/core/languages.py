"""The languages Tend knows, and the ones it offers: English and each complete catalogue.

A language is *known* when Tend may one day speak it: a person's stored choice can name it, and
its catalogue lives in ``tend/locale/<code>/LC_MESSAGES/``. It is *offered* (in
``settings.LANGUAGES``, the language picker, pages, emails and push messages) once its compiled
catalogue, ``django.mo``, is committed — which a translator does when the ``.po`` is complete
(``make catalogues``). ``tend/core/tests/test_translations.py`` fails on any message of an
offered language that is untranslated, fuzzy, missing from its catalogue, or different in the
compiled ``.mo``: a half-done catalogue is never offered, and an offered one is never half done.
Each language is offered by its own file, so translations made in parallel merge cleanly.

This module imports nothing from Django's apps, so that ``config/settings.py`` can read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Every language with a catalogue (or one on its way), as each calls itself.
KNOWN_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
)
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def compiled_languages(locale_dir: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages people can choose: English, Tend's own language, and each known language
    whose compiled catalogue is committed."""
    return (
        DEFAULT,
        *(
            code
            for code, _name in KNOWN_LANGUAGES
            if code != DEFAULT and (locale_dir / code / "LC_MESSAGES" / "django.mo").is_file()
        ),
    )


OFFERED: tuple[str, ...] = compiled_languages()


def offered_languages() -> list[tuple[str, str]]:
    """``settings.LANGUAGES``: the offered languages in their own names, English first."""
    return [(code, name) for code, name in KNOWN_LANGUAGES if code in OFFERED]


def language_choices() -> list[tuple[str, str]]:
    """The language picker's choices, read when a form is made (so tests can change them)."""
    from django.conf import settings

    return list(settings.LANGUAGES)


def language_for(code: str | None) -> str:
    """``code`` if it is offered now, else the default: a stored choice of a language that is no
    longer (or not yet) offered is never half-spoken."""
    from django.conf import settings

    offered = {offered_code for offered_code, _name in settings.LANGUAGES}
    return code if code in offered else settings.LANGUAGE_CODE


@contextmanager
def spoken_to(person: object) -> Iterator[str]:
    """Speak to ``person`` (anyone with a ``language``) in their own offered language: wrap
    everything that makes words for them outside their request — emails, push messages,
    notices made by the task worker."""
    from django.utils import translation

    language = language_for(getattr(person, "language", None))
    with translation.override(language):
        yield language
