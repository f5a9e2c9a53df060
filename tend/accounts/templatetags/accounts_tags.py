"""Template helpers for the settings area."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# Order matters: Edge and Opera also announce Chrome, and Chrome also announces Safari.
_BROWSERS = [
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Chrome/|Chromium/|CriOS/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
]
_SYSTEMS = [
    (re.compile(r"Android"), "Android"),
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"Linux"), "Linux"),
]


@register.filter
def device_name(user_agent: str | None) -> str:
    """"Firefox on Android" from a User-Agent header; people recognise that, not the header."""
    ua = user_agent or ""
    browser = next((name for pattern, name in _BROWSERS if pattern.search(ua)), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(ua)), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
