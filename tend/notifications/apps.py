from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tend.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from tend.connections.safety import safety_step
        from tend.notifications.services import push_devices_forget

        # A device subscribed to push may be one someone else controls.
        safety_step("push_devices_forgotten")(push_devices_forget)
