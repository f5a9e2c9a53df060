from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "tend.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from tend.coaching import (
            export,  # noqa: F401  (registers the export section)
            signals,  # noqa: F401
        )
        from tend.coaching.dashboard import NOTICE, connect_signals, counted_words
        from tend.notifications.messages import COUNTED

        connect_signals()
        COUNTED[NOTICE] = counted_words
