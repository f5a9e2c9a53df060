"""Writes for accounts: create, update the profile, export, delete. Each records an audit event."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from tend.accounts.export import collect_export
from tend.accounts.models import User
from tend.core.audit import record


class AccountExistsError(ValueError):
    pass


def generate_password() -> str:
    # 20 URL-safe characters: about 120 bits, and nothing a shell would misread.
    return secrets.token_urlsafe(15)


@transaction.atomic
def account_create(*, email: str, password: str) -> User:
    """Create a verified account (for the operator's CLI; people sign up through allauth)."""
    email = User.objects.normalize_email(email).strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise AccountExistsError(email)
    user = User(email=email)
    validate_password(password, user=user)
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    record(actor=None, subject=user, action="account.created", target=user)
    return user


@transaction.atomic
def profile_update(
    *, user: User, display_name: str, time_zone: str, language: str, appearance: str = "system"
) -> User:
    user.display_name = display_name.strip()
    user.time_zone = time_zone
    user.language = language
    user.appearance = appearance
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["display_name", "time_zone", "language", "appearance"])
    record(actor=user, action="account.profile_updated", target=user)
    return user


def account_export(*, user: User) -> dict[str, Any]:
    """Everything Tend holds about ``user``, as one JSON-able document."""
    document: dict[str, Any] = {
        "format": "tend-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        **collect_export(user=user),
    }
    record(actor=user, action="account.exported", target=user)
    return document


def account_delete(*, user: User) -> None:
    """Destroy the account and everything in it; what was encrypted becomes unreadable forever.

    The data key is shredded first, inside the same transaction: if shredding fails nothing is
    deleted, and once rows are gone no copy of them (in a backup) can be decrypted again.
    """
    # Imported here because the vault is its own module with its own key handling; the
    # accounts app only needs its one promise: after shred() this person's ciphertext is noise.
    from tend.core import vault  # type: ignore[attr-defined,unused-ignore]

    user_id = user.pk
    with transaction.atomic():
        from tend.accounts.signals import account_deleting

        account_deleting.send(sender=User, user=user)
        vault.shred(user=user)
        # End every signed-in device, not only the one asking: the sessions outlive the user row.
        for session in UserSession.objects.filter(user=user):
            session.end()
        user.delete()
        # Kept for the operator: an account was deleted. The id alone, no email, no content.
        record(
            actor=None,
            subject=None,
            action="account.deleted",
            meta={"user": str(user_id)},
        )
