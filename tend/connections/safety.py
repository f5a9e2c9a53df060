"""The Safety Check step registry.

Safety Check is one action that cuts every tie at once. Its own steps (shares, invitations,
connections, API tokens) are registered by ``services.py``, which also signs out the other
sessions; other apps register theirs in their ``AppConfig.ready`` (the rituals' calendar feed
links, the notifications' push devices), as ``tend/rituals/apps.py`` does::

    from tend.connections.safety import safety_step
    from tend.rituals.services import feeds_revoke_for_safety

    safety_step("calendar_feeds_revoked")(feeds_revoke_for_safety)

A step takes the person and returns how many things it changed. Steps run in registration
order, in one transaction, and must use bulk UPDATEs rather than per-row loops: Safety Check
must finish in well under two seconds for a person with 50 connections and 1,000 shares.
Steps must not raise for "nothing to do"; they return 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tend.accounts.models import User


class SafetyStep(Protocol):
    def __call__(self, *, user: User) -> int: ...


_STEPS: dict[str, SafetyStep] = {}


def safety_step(name: str) -> Callable[[SafetyStep], SafetyStep]:
    """Register ``fn(*, user) -> int`` as a Safety Check step named ``name`` (a code)."""

    def register(fn: SafetyStep) -> SafetyStep:
        _STEPS[name] = fn
        return fn

    return register


def registered_steps() -> dict[str, SafetyStep]:
    """Every registered step by name, in registration order (the connections' own first).

    The connections' own steps are registered when ``services`` is imported, which
    ``ConnectionsConfig.ready`` does before the apps listed after it register theirs; the only
    caller, ``services.safety_check_run``, has them by then. No import of ``services`` here:
    that made the two modules import each other.
    """
    return dict(_STEPS)
