"""Background work for notifications: the minute tick delivers due reminders."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from tend.core.tasks import on_tick
from tend.notifications.delivery import deliver_due


@on_tick
def deliver_reminders() -> None:
    deliver_due()


@db_task()
def deliver_now() -> None:
    """Queued after a notice is scheduled, so it does not wait for the next tick."""
    deliver_due()
