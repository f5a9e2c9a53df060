from __future__ import annotations

from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "tend.booking"
    label = "booking"
    verbose_name = "Booking"

    def ready(self) -> None:
        # Registers the booking section of the personal data export.
        from tend.booking import export  # noqa: F401
        from tend.booking import deletion  # noqa: F401  (cancels calls when an account goes)
