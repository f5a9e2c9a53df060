"""Crisis lines the operator configures in ``TEND_CRISIS_LINES`` (JSON). No country is assumed.

Each entry is an object such as::

    {"name": "Samaritans", "phone": "116 123", "sms": "", "url": "https://www.samaritans.org",
     "hours": "Any time, day or night"}

Only ``name`` is required. An entry that cannot be shown safely (no name, a link that is not
http(s)) is left out, and a setting that is not valid JSON shows no lines at all. With no lines
the page still has somewhere to send a person: the local emergency number in plain words and
``HELPLINE_DIRECTORY``, a directory of free helplines in many countries. A person in distress
never reads that something is not set up; the operator is told instead, when ``tend serve``
starts (``missing_lines_warning``).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger("tend.practices")

# Run by ThroughLine and used by many apps and services to find a free, confidential helpline
# by country and topic. It is shown only while the operator has set no lines of their own.
HELPLINE_DIRECTORY = "https://findahelpline.com"

_PHONE = re.compile(r"^[0-9+()\-\s.]{2,32}$")


@dataclass(frozen=True)
class CrisisLine:
    name: str
    phone: str = ""
    sms: str = ""
    url: str = ""
    hours: str = ""

    @property
    def tel(self) -> str:
        return re.sub(r"[^0-9+]", "", self.phone)

    @property
    def sms_number(self) -> str:
        return re.sub(r"[^0-9+]", "", self.sms)


def _entry(raw: Any) -> CrisisLine | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        return None
    values: dict[str, str] = {
        k: str(raw.get(k)) if isinstance(raw.get(k), str) else ""
        for k in ("phone", "sms", "url", "hours")
    }
    if values["phone"] and not _PHONE.match(values["phone"]):
        values["phone"] = ""
    if values["sms"] and not _PHONE.match(values["sms"]):
        values["sms"] = ""
    if values["url"] and not values["url"].startswith(("https://", "http://")):
        values["url"] = ""
    return CrisisLine(name=raw["name"][:120], **{k: v[:200] for k, v in values.items()})


def crisis_lines() -> list[CrisisLine]:
    configured: Any = getattr(settings, "TEND_CRISIS_LINES", [])
    if isinstance(configured, str):
        try:
            configured = json.loads(configured or "[]")
        except ValueError:
            logger.warning("TEND_CRISIS_LINES is not valid JSON; no crisis lines are shown.")
            return []
    if not isinstance(configured, list):
        return []
    return [line for raw in configured if (line := _entry(raw)) is not None]


def missing_lines_warning() -> str:
    """What the operator should hear at start when no crisis line can be shown, or ""."""
    if crisis_lines():
        return ""
    return (
        "TEND_CRISIS_LINES sets no crisis line: a person who does not feel safe is pointed to "
        f"their local emergency number and {HELPLINE_DIRECTORY}. Set TEND_CRISIS_LINES to the "
        "helplines of the places you serve (see docs/ARCHITECTURE.md)."
    )
