from __future__ import annotations

from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "tend.booking"
    label = "booking"
    verbose_name = "Booking"

    def ready(self) -> None:
        # The booking section of the personal data export, and the receiver that cancels a
        # practitioner's future calls when their account goes.
        from tend.booking import deletion, export  # noqa: F401
