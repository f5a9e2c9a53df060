from __future__ import annotations

from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "tend.connections"
    label = "connections"
    verbose_name = "Connections"

    def ready(self) -> None:
        # Registers the built-in Safety Check steps before other apps add theirs, and the
        # connections section of the personal data export.
        from tend.connections import export, services  # noqa: F401
