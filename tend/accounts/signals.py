"""Audit the account events allauth announces: sign-ins, sign-outs, password and MFA changes.

Only ids and action codes are recorded. A failed password sign-in names no account we may trust
(and recording it would tell whoever reads the log which addresses exist), so it is not recorded;
a wrong second-factor code is, because by then the password was right and the person should know.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils.translation import get_language

from tend.accounts.models import User
from tend.core.audit import record
from tend.core.languages import language_for


def _is_user(user: Any) -> bool:
    return isinstance(user, User) and user.pk is not None


@receiver(account_signals.user_logged_in, dispatch_uid="tend_audit_signed_in")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if _is_user(user):
        record(actor=user, action="account.signed_in")


@receiver(user_logged_out, dispatch_uid="tend_audit_signed_out")
def _signed_out(sender: Any, request: Any, user: Any = None, **kwargs: Any) -> None:
    # A session whose account was just deleted has nobody left to record against.
    if _is_user(user) and User.objects.filter(pk=user.pk).exists():
        record(actor=user, action="account.signed_out")


@receiver(account_signals.password_changed, dispatch_uid="tend_audit_password_changed")
@receiver(account_signals.password_set, dispatch_uid="tend_audit_password_set")
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if _is_user(user):
        record(actor=user, action="account.password_changed")


@receiver(account_signals.password_reset, dispatch_uid="tend_audit_password_reset")
def _password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if _is_user(user):
        record(actor=user, action="account.password_reset")


@receiver(account_signals.email_confirmed, dispatch_uid="tend_audit_email_confirmed")
def _email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    user = email_address.user
    if _is_user(user):
        record(actor=user, action="account.email_confirmed", meta={"email_id": email_address.pk})


def _authenticator_action(authenticator: Authenticator, verb: str) -> str:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return "mfa.recovery_codes_generated" if verb == "added" else "mfa.recovery_codes_removed"
    return f"mfa.{authenticator.type}_{verb}"


@receiver(mfa_signals.authenticator_added, dispatch_uid="tend_audit_mfa_added")
def _authenticator_added(sender: Any, request: Any, user: Any, authenticator: Authenticator,
                         **kwargs: Any) -> None:
    if _is_user(user):
        record(actor=user, action=_authenticator_action(authenticator, "added"),
               meta={"authenticator": authenticator.pk})


@receiver(mfa_signals.authenticator_removed, dispatch_uid="tend_audit_mfa_removed")
def _authenticator_removed(sender: Any, request: Any, user: Any, authenticator: Authenticator,
                           **kwargs: Any) -> None:
    if _is_user(user):
        record(actor=user, action=_authenticator_action(authenticator, "removed"),
               meta={"authenticator": authenticator.pk})


@receiver(mfa_signals.authenticator_reset, dispatch_uid="tend_audit_mfa_reset")
def _authenticator_reset(sender: Any, request: Any, user: Any, authenticator: Authenticator,
                         **kwargs: Any) -> None:
    if _is_user(user):
        record(actor=user, action="mfa.recovery_codes_generated",
               meta={"authenticator": authenticator.pk})


@receiver(mfa_signals.authentication_failed, dispatch_uid="tend_audit_mfa_failed")
def _mfa_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Whoever typed the code is not known to be the account holder: no actor, but the
    # account holder is the subject, so they see it in their security activity.
    if _is_user(user):
        record(actor=None, subject=user, action="mfa.code_rejected")


@receiver(account_signals.user_signed_up, dispatch_uid="tend_language_at_sign_up")
def _language_at_sign_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A new person keeps the language of the page they signed up on, if Tend offers it."""
    language = language_for(getattr(request, "LANGUAGE_CODE", None) or get_language())
    if _is_user(user) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
