from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tend.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from tend.accounts import signals  # noqa: F401
