"""When a connection ends: its care plans and repairs stop being visible to both through the
selectors (they require an active connection at query time); in the same transaction, the one
ended with leaves every group plan they shared with the one who ended it (after a Safety Check,
the one who ran it leaves those plans instead: ``parties_leave``);
after it, the pending reminders that would still point at them are cancelled."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from tend.careplans.models import Repair
from tend.careplans.services import parties_leave
from tend.connections.signals import connection_ended, connections_ending
from tend.notifications.services import reminders_cancel


@receiver(connection_ended, dispatch_uid="careplans.connection_ended")
def cancel_reminders(sender: Any, connection: Any, **kwargs: Any) -> None:
    for repair_id in Repair.objects.filter(connection=connection, returned_at=None).values_list(
        "id", flat=True
    ):
        reminders_cancel(key_prefix=f"repair:{repair_id}:")
    for plan_id in connection.careplans.values_list("id", flat=True):
        reminders_cancel(key_prefix=f"careplan:{plan_id}:")


@receiver(connections_ending, dispatch_uid="careplans.connections_ending")
def leave_group_plans(
    sender: Any, connections: Any, ended_by: Any, safety_check: bool = False, **kwargs: Any
) -> None:
    parties_leave(ended_by=ended_by, connections=list(connections), safety_check=safety_check)
