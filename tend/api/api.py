"""The one NinjaAPI instance. Each domain app contributes its own router."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Tend API",
    version="1",
    description="Tend's API. Authenticate with a session (and CSRF) or a personal access token.",
    urls_namespace="api",
)
