"""Periodic work for care plans: the gentle reminder on a plan's review date."""

from __future__ import annotations

from django.utils import timezone

from tend.careplans.services import plan_review_reminders
from tend.core.tasks import on_tick


@on_tick
def careplan_review_reminders() -> None:
    # Idempotent per plan, person and date; once an hour is plenty.
    if timezone.now().minute == 5:
        plan_review_reminders()
