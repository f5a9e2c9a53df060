"""When a connection ends, its rituals are put away and their reminders cancelled.

Check-ins and action items need nothing: their selectors require an active connection at query
time, so the other person's answers stop being visible the moment the connection ends.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from tend.connections.signals import connection_ended
from tend.notifications.services import reminders_cancel
from tend.rituals.models import Ritual


@receiver(connection_ended, dispatch_uid="rituals.connection_ended")
def put_rituals_away(sender: Any, connection: Any, **kwargs: Any) -> None:
    ritual_ids = list(
        Ritual.objects.filter(connection=connection, archived_at=None).values_list("id", flat=True)
    )
    Ritual.objects.filter(id__in=ritual_ids).update(archived_at=timezone.now())
    for ritual_id in ritual_ids:
        reminders_cancel(key_prefix=f"ritual:{ritual_id}:")
