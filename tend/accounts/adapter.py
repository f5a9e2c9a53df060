from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.http import HttpRequest

from tend.core.addresses import client_address
from tend.core.audit import record


class AccountAdapter(DefaultAccountAdapter):
    """Tend's account rules; allauth does the heavy lifting."""

    def save_user(
        self, request: HttpRequest, user: Any, form: Any, commit: bool = True
    ) -> Any:
        # The browser's own zone (SignupForm), so that partners see the same times from the
        # first day instead of one of them in UTC.
        user = super().save_user(request, user, form, commit=False)
        zone = form.cleaned_data.get("time_zone") if hasattr(form, "cleaned_data") else None
        if zone:
            user.time_zone = zone
        if commit:
            user.save()
        return user

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # Confirming one's address now also signs in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION):
        # one calm line ("You have confirmed …") is enough, not a second one saying so again.
        if message_template == "account/messages/email_confirmed.txt":
            request._tend_email_confirmed = True  # type: ignore[attr-defined]
        elif message_template == "account/messages/logged_in.txt" and getattr(
            request, "_tend_email_confirmed", False
        ):
            return
        super().add_message(
            request, level, message_template, message_context, extra_tags, message
        )

    def get_client_ip(self, request: HttpRequest) -> str:
        # X-Forwarded-For only from TEND_TRUSTED_PROXIES, as for the API's token counter.
        return client_address(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failed sign-ins per "key" (ACCOUNT_RATE_LIMITS "login_failed": …/key)
        # by the email alone, so anyone who knows an address could lock its owner out by
        # failing on purpose. Adding the client's address makes that limit per account and
        # address: a guesser is still stopped, and the owner, elsewhere, can still sign in.
        # The per-address limit ("…/ip") is allauth's own and stays as it is.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_address(request)}"


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """Records "signed out of other devices" (allauth sends no signal for it)."""

    def end_sessions(self, sessions: Iterable[Any]) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        users = {session.user for session in sessions}
        for user in users:
            count = sum(1 for session in sessions if session.user == user)
            record(actor=user, action="session.signed_out_others", meta={"count": count})
