"""Coaching listens to connections: an ended connection drops its suggestions' reminders; and a
suggestion deleted with its practice or its practitioner's account drops its own."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from tend.coaching.models import Suggestion
from tend.connections.signals import connection_ended


@receiver(connection_ended, dispatch_uid="coaching.connection_ended")
def drop_suggestion_reminders(sender: Any, connection: Any, **kwargs: Any) -> None:
    from tend.coaching.suggestions import suggestions_cancel_for

    suggestions_cancel_for(connection=connection)


@receiver(post_delete, sender=Suggestion, dispatch_uid="coaching.suggestion_deleted")
def drop_deleted_suggestion_reminders(sender: Any, instance: Suggestion, **kwargs: Any) -> None:
    # A cascade (the custom practice deleted, the practitioner's account deleted) bypasses the
    # withdraw service: no reminder may come about a suggestion that is gone.
    from tend.notifications.services import reminders_cancel

    reminders_cancel(key_prefix=f"suggestion:{instance.pk}:")
