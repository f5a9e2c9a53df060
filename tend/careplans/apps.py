from __future__ import annotations

from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "tend.careplans"
    label = "careplans"
    verbose_name = "Care plans"

    def ready(self) -> None:
        # The receivers, and the care plans' section of the personal data export.
        from tend.careplans import export, signals  # noqa: F401
