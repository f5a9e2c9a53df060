"""Reads for the settings area. Each takes the person and returns only what is theirs."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tend.core.audit import events_for_subject
from tend.core.models import AuditEvent
from tend.core.zones import known_zones

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from tend.accounts.models import User

ACTIVITY_PER_PAGE = 25

# Plain words for the audit codes a person may see about their own account. Codes that other
# apps add later fall back to a readable form of the code itself.
ACTION_LABELS: dict[str, _StrPromise] = {
    "account.created": _("Account created"),
    "account.signed_in": _("Signed in"),
    "account.signed_out": _("Signed out"),
    "account.password_changed": _("Password changed"),
    "account.password_reset": _("Password reset by emailed link"),
    "account.email_confirmed": _("Email address confirmed"),
    "account.profile_updated": _("Profile updated"),
    "account.exported": _("Data downloaded"),
    "mfa.totp_added": _("Authenticator app turned on"),
    "mfa.totp_removed": _("Authenticator app turned off"),
    "mfa.webauthn_added": _("Passkey or security key added"),
    "mfa.webauthn_removed": _("Passkey or security key removed"),
    "mfa.recovery_codes_generated": _("New recovery codes made"),
    "mfa.recovery_codes_removed": _("Recovery codes removed"),
    "mfa.code_rejected": _("A wrong sign-in code was entered"),
    "session.signed_out_others": pgettext_lazy(
        "security activity", "Signed out of other devices"
    ),
    "api.token_created": _("API token created"),
    "api.token_revoked": _("API token revoked"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    return action.replace("_", " ").replace(".", ": ").capitalize()


def security_activity_page(*, user: User, page_number: str | int | None) -> Page[AuditEvent]:
    """One page of the security events about ``user``'s account, newest first.

    A person's own journal writes are audited too, but listing every moment they logged here
    would bury the sign-ins and changes this page exists to show.
    """
    events = events_for_subject(subject=user).exclude(action__startswith="journal.")
    paginator = Paginator(events, ACTIVITY_PER_PAGE)
    return paginator.get_page(page_number)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_zones())]
