"""Template helpers for the offline capture script (tend/static/journal/offline.js)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def csrf_cookie_name() -> str:
    """The CSRF cookie's name, which differs in production (``__Host-`` prefixed)."""
    return str(settings.CSRF_COOKIE_NAME)
