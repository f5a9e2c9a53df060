from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "tend.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from tend.insights.revisions import connect_receivers

        connect_receivers()
