from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def tend(request: HttpRequest) -> dict[str, Any]:
    return {
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "quick_exit_url": settings.TEND_QUICK_EXIT_URL,
        "tend_production": settings.PRODUCTION,
    }
