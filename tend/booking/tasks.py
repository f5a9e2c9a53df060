"""Background work for booking: the minute tick sends due reminders of booked calls."""

from __future__ import annotations

from tend.booking.reminders import deliver_due
from tend.core.tasks import on_tick


@on_tick
def deliver_booking_reminders() -> None:
    deliver_due()
