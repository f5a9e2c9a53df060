from __future__ import annotations

from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "tend.practices"
    label = "practices"
    verbose_name = "Practices"

    def ready(self) -> None:
        # Registers the practices' sections of the personal data export.
        from tend.practices import export  # noqa: F401
