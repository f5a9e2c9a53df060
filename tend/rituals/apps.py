from __future__ import annotations

from django.apps import AppConfig


class RitualsConfig(AppConfig):
    name = "tend.rituals"
    label = "rituals"
    verbose_name = "Rituals"

    def ready(self) -> None:
        from tend.connections.safety import safety_step
        from tend.rituals import signals  # noqa: F401
        from tend.rituals.services import feeds_revoke_for_safety

        safety_step("calendar_feeds_revoked")(feeds_revoke_for_safety)
