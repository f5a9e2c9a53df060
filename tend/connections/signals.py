"""Signals other apps listen to.

``connection_ended(sender=Connection, connection=, ended_by=)`` is sent after the transaction
that ended a connection commits (also for every connection a Safety Check ends). Care plans,
rituals and notifications listen to stop the other person's access to shared things at once.

``connections_ending(sender=Connection, connections=, ended_by=, safety_check=)`` is sent
*inside* that transaction, once for ``connection_end`` and once (``safety_check=True``) for all
the connections a Safety Check ends, after they are marked ended. It is for access that must end
in the same commit (care plans: one of the two leaves every group plan they share), so that no
request between the commit and the receivers of ``connection_ended`` sees the old state. A
receiver that raises undoes the ending.
"""

from __future__ import annotations

from django.dispatch import Signal

connection_ended = Signal()
connections_ending = Signal()
