"""Find words in Tend's templates that are not marked for translation.

A template is read with Django's own template Lexer. Text inside ``{% translate %}``,
``{% blocktranslate %}…{% endblocktranslate %}`` and comments is translated or silent; every other
text token, with each variable or tag in between replaced by a placeholder, is read with Python's
HTML parser. What a person sees — text between tags and the attributes people read or hear
(``title``, ``alt``, ``placeholder``, ``aria-label``, …) — must then hold no word, save the few
non-words in ``ALLOWED``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_ROOTS = [ROOT / "tend"]
# Templates whose text is not a page's: the service worker scripts (their only words reach people
# through the translated pages they cache), the web app manifest (its name is the brand) and the
# PDF's stylesheet.
NOT_PAGES = {
    "journal/sw.js",
    "notifications/push-sw.js",
    "core/manifest.webmanifest",
    "insights/report_pdf.css",
}
# Text that is not a word in any language: the brand, units and signs.
ALLOWED = {"Tend", "API", "PDF", "JSON", "CSV", "iCalendar", "ICS", "UTC", "OK", "TOTP"}
URL = re.compile(r"\bhttps?://\S+")
# Attributes a person reads or hears.
SPOKEN_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
    "summary",
}
PLACEHOLDER = "\x00"
TRANSLATION_TAGS = {"translate", "trans"}
BLOCK_TRANSLATION_TAGS = {"blocktranslate", "blocktrans"}
LETTERS = re.compile(r"[^\W\d_]{2,}")
# A string literal inside a tag or variable ({{ x|default:"Nothing yet" }}) that reads as words:
# two words at least. _("…") literals are translated.
WORDY_LITERAL = re.compile(r"""(?<!_\()(["'])((?:[^\W\d_]{2,}[,;:]?[ ]+)+[^\W\d_]{2,}[.!?]?)\1""")


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


def template_files() -> list[tuple[str, Path]]:
    """Every template under a ``templates`` directory in tend/, with its template name."""
    found = []
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("templates/**/*")):
            if not path.is_file() or "tests" in path.parts:
                continue
            parts = path.parts
            name = "/".join(parts[len(parts) - parts[::-1].index("templates") :])
            found.append((name, path))
    return found


def _flatten(source: str, literals: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The untranslated text of a template, as (line, text) pieces with tags as placeholders;
    wordy string literals inside tags and variables are added to ``literals``."""
    pieces: list[tuple[int, str]] = []
    current: list[str] = []
    start_line = 1
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        if skip_until is not None:
            if token.token_type == TokenType.BLOCK and token.split_contents()[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.TEXT:
            if not current:
                start_line = token.lineno
            current.append(token.contents)
            continue
        if token.token_type in (TokenType.BLOCK, TokenType.VAR):
            tag = token.split_contents()[0] if token.token_type == TokenType.BLOCK else ""
            if tag not in TRANSLATION_TAGS | BLOCK_TRANSLATION_TAGS:
                for match in WORDY_LITERAL.finditer(token.contents):
                    literals.append((token.lineno, match.group(2)))
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            tag = bits[0]
            if tag in BLOCK_TRANSLATION_TAGS:
                skip_until = "end" + tag
            elif tag == "comment":
                skip_until = "endcomment"
            elif tag == "verbatim":
                skip_until = "endverbatim"
            elif tag == "block" and len(bits) > 1 and bits[1].endswith("_class"):
                skip_until = "endblock"  # a block of CSS class names
        current.append(PLACEHOLDER)
    if current:
        pieces.append((start_line, "".join(current)))
    # A tag whose name is chosen by a template tag (<{% if href %}a{% else %}button{% endif %} …>)
    # still reads as a tag.
    tagged = "<x-tag " + PLACEHOLDER
    return [(line, text.replace("<" + PLACEHOLDER, tagged)) for line, text in pieces]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.spoken: list[tuple[int, str]] = []
        self._quiet = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._quiet += 1
        for name, value in attrs:
            if value and name in SPOKEN_ATTRIBUTES:
                self.spoken.append((self.getpos()[0], value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in SPOKEN_ATTRIBUTES:
                self.spoken.append((self.getpos()[0], value))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._quiet:
            self._quiet -= 1

    def handle_data(self, data: str) -> None:
        if not self._quiet:
            self.spoken.append((self.getpos()[0], data))


def _words(text: str) -> str:
    text = URL.sub(" ", text.replace(PLACEHOLDER, " ")).strip()
    for allowed in sorted(ALLOWED, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(allowed)}(?!\w)", " ", text)
    return " ".join(text.split()) if LETTERS.search(text) else ""


def untranslated(source: str, name: str = "<template>") -> list[Finding]:
    """The words of one template's source that a person would meet untranslated."""
    findings = []
    literals: list[tuple[int, str]] = []
    for start_line, text in _flatten(source, literals):
        reader = _Reader()
        reader.feed(text)
        reader.close()
        for line, spoken in reader.spoken:
            words = _words(spoken)
            if words:
                findings.append(Finding(name, start_line + line - 1, words))
    findings += [Finding(name, line, text) for line, text in literals]
    return findings


def scan() -> list[Finding]:
    findings: list[Finding] = []
    for name, path in template_files():
        if name in NOT_PAGES:
            continue
        findings.extend(untranslated(path.read_text(encoding="utf-8"), name))
    return findings


if __name__ == "__main__":  # pragma: no cover - a developer's listing
    import django

    django.setup()
    for finding in scan():
        print(finding)
