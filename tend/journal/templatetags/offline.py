"""Template helpers for the offline capture script (tend/static/journal/offline.js)."""

from __future__ import annotations

import json

from django import template
from django.conf import settings

from tend.journal.moment_fields import for_the_browser

register = template.Library()


@register.simple_tag
def csrf_cookie_name() -> str:
    """The CSRF cookie's name, which differs in production (``__Host-`` prefixed)."""
    return str(settings.CSRF_COOKIE_NAME)


@register.simple_tag
def moment_fields() -> str:
    """The moment's fields as the script reads them from a form (``moment_fields.py``), as JSON.

    Escaped by the template as any attribute value is; ``getAttribute`` gives the JSON back.
    """
    return json.dumps(for_the_browser(), separators=(",", ":"))
