"""Helpers that connect the personas and share things, through the services."""

from __future__ import annotations

from typing import Any

from tend.accounts.models import User
from tend.connections.models import Connection, Share
from tend.connections.services import invitation_accept, invitation_create
from tend.connections.share_services import share_create


def connect(inviter: User, invitee: User, kind: str = "partner") -> Connection:
    """Connect two people the way they would: an invitation by link, accepted."""
    _invitation, secret = invitation_create(actor=inviter, kind=kind)
    return invitation_accept(actor=invitee, secret=secret)


def share(owner: User, connection: Connection, scope: str, **kwargs: Any) -> Share:
    return share_create(actor=owner, connection=connection, scope=scope, **kwargs)
