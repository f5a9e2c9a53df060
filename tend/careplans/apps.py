from __future__ import annotations

from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "tend.careplans"
    label = "careplans"
    verbose_name = "Care plans"

    def ready(self) -> None:
        from tend.careplans import signals  # noqa: F401
