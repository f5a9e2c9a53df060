from __future__ import annotations

from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "tend.connections"
    label = "connections"
    verbose_name = "Connections"
