"""Signals other apps listen to.

``connection_ended(sender=Connection, connection=, ended_by=)`` is sent after the transaction
that ended a connection commits (also for every connection a Safety Check ends). Care plans,
rituals and notifications listen to stop the other person's access to shared things at once.
"""

from __future__ import annotations

from django.dispatch import Signal

connection_ended = Signal()
