"""Coaching listens to connections: an ended connection drops its suggestions' reminders."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from tend.connections.signals import connection_ended


@receiver(connection_ended, dispatch_uid="coaching.connection_ended")
def drop_suggestion_reminders(sender: Any, connection: Any, **kwargs: Any) -> None:
    from tend.coaching.suggestions import suggestions_cancel_for

    suggestions_cancel_for(connection=connection)
