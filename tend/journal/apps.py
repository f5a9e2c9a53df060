from __future__ import annotations

from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "tend.journal"
    label = "journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        # Registers the journal's section of the personal data export.
        from tend.journal import export  # noqa: F401
