from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from tend.core.audit import record


class AccountAdapter(DefaultAccountAdapter):
    """Tend's account rules; allauth does the heavy lifting."""


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """Records "signed out of other devices" (allauth sends no signal for it)."""

    def end_sessions(self, sessions: Iterable[Any]) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        users = {session.user for session in sessions}
        for user in users:
            count = sum(1 for session in sessions if session.user == user)
            record(actor=user, action="session.signed_out_others", meta={"count": count})
