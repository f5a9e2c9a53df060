"""The "download your data" export: a small registry that every app adds its own section to.

An app registers a function that takes the person and returns something JSON can hold::

    @register_export_section("moments")
    def _moments(user: User) -> list[dict[str, Any]]: ...

Sections are collected in registration order; each one sees only the person it is given, so a
section can never mix in somebody else's rows by accident of the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tend.core.audit import events_for_subject

if TYPE_CHECKING:
    from tend.accounts.models import User

ExportSection = Callable[["User"], Any]
F = TypeVar("F", bound=ExportSection)

_SECTIONS: dict[str, ExportSection] = {}


def register_export_section(name: str) -> Callable[[F], F]:
    """Add ``fn(user) -> JSON-able`` to every export under the key ``name``."""

    def decorator(fn: F) -> F:
        if name in _SECTIONS and _SECTIONS[name] is not fn:
            raise ValueError(f"export section {name!r} is already registered")
        _SECTIONS[name] = fn
        return fn

    return decorator


def export_sections() -> dict[str, ExportSection]:
    return dict(_SECTIONS)


def collect_export(*, user: User) -> dict[str, Any]:
    return {name: fn(user) for name, fn in _SECTIONS.items()}


@register_export_section("account")
def _account(user: User) -> dict[str, Any]:
    return {
        "id": str(user.pk),
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "language": user.language,
        "appearance": user.appearance,
        "joined": user.date_joined.isoformat(),
    }


@register_export_section("security_activity")
def _security_activity(user: User) -> list[dict[str, Any]]:
    # Codes and times only, the same as the audit log holds: never anybody's words.
    return [
        {"action": event.action, "at": event.at.isoformat()}
        for event in events_for_subject(subject=user)
    ]
