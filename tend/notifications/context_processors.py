"""What every page's shell needs from notifications: whether something waits in Together."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tend.accounts.models import User


def together(request: HttpRequest) -> dict[str, Any]:
    """``together_waiting``: asked (one query) only when a page draws the navigation."""
    user = getattr(request, "user", None)

    def ask() -> bool:
        from tend.notifications.selectors import together_waiting

        return isinstance(user, User) and together_waiting(viewer=user)

    return {"together_waiting": SimpleLazyObject(ask)}
