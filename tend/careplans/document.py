"""A care plan's content: tender places and free sections, as a small JSON document.

The document is validated here (the one set of rules for pages and API), rendered to plain
lines for reading, and compared line by line with difflib for a readable diff.
"""

from __future__ import annotations

import difflib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tend.core.text import has_control_characters

PLACE_FIELDS = ("name", "feels_like", "for_myself", "ask_for", "others_offer")
MAX_PLACES = 30
MAX_SECTIONS = 20
MAX_TEXT = 2000


def place_labels() -> dict[str, str]:
    return {
        "name": _("Tender place"),
        "feels_like": _("What it feels like"),
        "for_myself": _("What I will do for myself"),
        "ask_for": _("What I ask for"),
        "others_offer": _("What the others offer"),
    }


def new_id() -> str:
    """An id for a new tender place or section, stable across versions of the plan."""
    return uuid.uuid4().hex[:12]


def empty() -> dict[str, Any]:
    return {"places": [], "sections": []}


def _text(value: Any, where: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("%(where)s must be text.") % {"where": where})
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        raise ValidationError(_("%(where)s needs a few words.") % {"where": where})
    if len(value) > limit:
        raise ValidationError(
            _("%(where)s is longer than %(limit)d characters.") % {"where": where, "limit": limit}
        )
    if has_control_characters(value):
        raise ValidationError(
            _("%(where)s contains characters that cannot be stored.") % {"where": where}
        )
    return value


def clean(doc: Any, *, party_ids: set[str]) -> dict[str, Any]:
    """A validated copy of ``doc``; raises ValidationError with a plain message."""
    if not isinstance(doc, dict):
        raise ValidationError(_("A plan is a set of tender places and sections."))
    places_in = doc.get("places") or []
    sections_in = doc.get("sections") or []
    if not isinstance(places_in, list) or not isinstance(sections_in, list):
        raise ValidationError(_("A plan is a set of tender places and sections."))
    if len(places_in) > MAX_PLACES or len(sections_in) > MAX_SECTIONS:
        raise ValidationError(_("That is more than a plan can hold."))
    places = []
    for n, place in enumerate(places_in, start=1):
        if not isinstance(place, dict):
            raise ValidationError(_("Tender place %(n)d could not be read.") % {"n": n})
        owner = str(place.get("owner", ""))
        if owner not in party_ids:
            raise ValidationError(_("Each tender place belongs to someone in this plan."))
        cleaned = {
            "id": str(place.get("id") or new_id())[:40],
            "owner": owner,
        }
        for field in PLACE_FIELDS:
            where = _("Tender place %(n)d") % {"n": n}
            cleaned[field] = _text(
                place.get(field),
                where,
                required=field == "name",
                limit=200 if field == "name" else MAX_TEXT,
            )
        places.append(cleaned)
    sections = []
    for n, section in enumerate(sections_in, start=1):
        if not isinstance(section, dict):
            raise ValidationError(_("Section %(n)d could not be read.") % {"n": n})
        where = _("Section %(n)d") % {"n": n}
        sections.append(
            {
                "id": str(section.get("id") or new_id())[:40],
                "title": _text(section.get("title"), where, required=True, limit=200),
                "body": _text(section.get("body"), where),
            }
        )
    return {"places": places, "sections": sections}


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def loads(text: str) -> dict[str, Any]:
    if not text:
        return empty()
    data = json.loads(text)
    return data if isinstance(data, dict) else empty()


def lines(doc: dict[str, Any], name_of: Callable[[str], str]) -> list[str]:
    """The plan as plain lines, the way people read it (and the way the diff compares it)."""
    labels = place_labels()
    out: list[str] = []
    for place in doc.get("places", []):
        out.append(
            _("%(label)s (%(who)s): %(name)s")
            % {"label": labels["name"], "who": name_of(place["owner"]), "name": place["name"]}
        )
        for field in PLACE_FIELDS[1:]:
            if place.get(field):
                for k, line in enumerate(place[field].splitlines() or [""]):
                    prefix = f"  {labels[field]}: " if k == 0 else "    "
                    out.append(prefix + line)
        out.append("")
    for section in doc.get("sections", []):
        out.append(section["title"])
        for line in section.get("body", "").splitlines():
            out.append("  " + line)
        out.append("")
    while out and out[-1] == "":
        out.pop()
    return out


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff(before: list[str], after: list[str]) -> list[DiffLine]:
    result = []
    for line in difflib.ndiff(before, after):
        tag, text = line[:2], line[2:]
        if tag == "? ":
            continue
        kind = {"+ ": "added", "- ": "removed"}.get(tag, "same")
        result.append(DiffLine(kind=kind, text=text))
    return result
