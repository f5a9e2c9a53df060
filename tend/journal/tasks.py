from __future__ import annotations

from tend.core.tasks import on_tick
from tend.journal.services import moments_purge_deleted


@on_tick
def purge_deleted_moments() -> None:
    # Once the undo window has passed, a deleted moment is erased for good.
    moments_purge_deleted()
