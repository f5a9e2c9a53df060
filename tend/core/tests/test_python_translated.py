"""Sentences that Python hands to people are marked for translation.

Reads every module of Tend (not the tests) and fails on a plain string, f-string or joined
string with words given to what people read: a refusal (``ValidationError``), an API problem
(``problem``, ``HttpError``), a flash message, a form error, an email (``send_mail``,
``EmailMessage``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SPOKEN_CALLS = {
    "ValidationError",
    "problem",
    "HttpError",
    "AuthenticationError",
    "AuthorizationError",
    "Throttled",
    "success",
    "info",
    "warning",
    "error",
    "add_message",
    "add_error",
    "send_mail",
    "EmailMessage",
    "EmailMultiAlternatives",
}
# Calls with these names that are not spoken to people.
NOT_SPOKEN = {"logger", "logging", "log", "self.stderr", "self.stdout", "parser"}
WORDS = re.compile(r"[^\W\d_]{2,}[ ,;:]+[^\W\d_]{2,}")
# Modules whose refusals are for developers (a misused field), not for people.
FOR_DEVELOPERS = {"tend/core/fields.py", "tend/core/audit.py"}


def _name(call: ast.Call) -> tuple[str, str]:
    func = call.func
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute):
        return ast.unparse(func.value), func.attr
    return "", ""


def _plain_words(node: ast.AST) -> bool:
    """A literal (or f-string, or + of them) with words, not passed through gettext."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value if isinstance(part, ast.Constant) else "value" for part in node.values
        )
        return bool(WORDS.search(str(text)))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _plain_words(node.left) or (
            isinstance(node.op, ast.Add) and _plain_words(node.right)
        )
    if isinstance(node, ast.Dict):
        return any(_plain_words(value) for value in node.values)
    if isinstance(node, ast.List | ast.Tuple):
        return any(_plain_words(item) for item in node.elts)
    return False


def untranslated_calls(source: str, name: str = "<module>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        owner, called = _name(node)
        if called not in SPOKEN_CALLS or owner in NOT_SPOKEN:
            continue
        arguments = [*node.args, *(k.value for k in node.keywords if k.arg != "code")]
        if any(_plain_words(argument) for argument in arguments):
            found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_every_sentence_python_gives_people_is_marked() -> None:
    found = []
    for path in sorted((ROOT / "tend").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative in FOR_DEVELOPERS:
            continue
        if "/management/commands/" in relative:
            continue  # operators' commands speak English
        found += untranslated_calls(path.read_text(encoding="utf-8"), relative)
    assert not found, "Sentences not marked for translation:\n" + "\n".join(found)


def test_plain_and_formatted_sentences_are_found_and_translated_ones_pass() -> None:
    source = """
raise ValidationError("Choose a time zone.")
raise ValidationError({"zone": f"Choose {zone} again."})
messages.success(request, "Your profile is saved.")
return problem(404, "There is " + "nothing here.")
raise ValidationError(_("Choose a time zone."))
raise ValidationError(gettext("Choose %(z)s.") % {"z": zone}, code="zone")
logger.error("Something broke here", exc_info=True)
raise ValidationError("x")
"""
    assert [line.split(":")[1] for line in untranslated_calls(source)] == ["2", "3", "4", "5"]


def test_the_check_reads_tends_modules() -> None:
    assert (ROOT / "tend" / "api" / "errors.py").exists()
