"""Background work for booking: due reminders, and the external calendars' busy times."""

from __future__ import annotations

import uuid

from huey.contrib.djhuey import db_task

from tend.booking.reminders import deliver_due
from tend.booking.services import calendar_refresh, calendars_refresh_due
from tend.core.tasks import on_tick


@on_tick
def deliver_booking_reminders() -> None:
    deliver_due()


@on_tick
def refresh_external_calendars() -> None:
    calendars_refresh_due()


@db_task()
def refresh_calendar(calendar_id: str) -> None:
    """Queued when a practitioner gives an address, so its status shows without waiting."""
    calendar_refresh(calendar_id=uuid.UUID(calendar_id))
