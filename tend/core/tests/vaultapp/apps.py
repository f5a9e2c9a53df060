from __future__ import annotations

from django.apps import AppConfig


class VaultAppConfig(AppConfig):
    name = "tend.core.tests.vaultapp"
    label = "vaultapp"
    default_auto_field = "django.db.models.BigAutoField"
