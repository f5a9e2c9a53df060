"""Periodic work for coaching: plan the one reminder of each suggestion's coming occurrence."""

from __future__ import annotations

from django.utils import timezone

from tend.coaching.suggestions import plan_reminders
from tend.core.tasks import on_tick


@on_tick
def plan_suggestion_reminders() -> None:
    # Planning looks 26 hours ahead, so every ten minutes is plenty.
    if timezone.now().minute % 10 == 0:
        plan_reminders()
