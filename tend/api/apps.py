from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tend.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from tend.api import exports  # noqa: F401  (registers the export section)
