"""The person's API tokens in their data export: labels and dates, never secrets or hashes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tend.accounts.export import register_export_section
from tend.api.selectors import tokens_of

if TYPE_CHECKING:
    from tend.accounts.models import User


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@register_export_section("api_tokens")
def _api_tokens(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": str(token.id),
            "name": token.name,
            "prefix": token.prefix,
            "scope": token.scope,
            "created_at": _iso(token.created_at),
            "last_used_at": _iso(token.last_used_at),
            "revoked_at": _iso(token.revoked_at),
            "expires_at": _iso(token.expires_at),
        }
        for token in tokens_of(user=user)
    ]
