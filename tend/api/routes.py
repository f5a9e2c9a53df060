"""Every router of the API, mounted on the one instance (``api.py``) in one place.

Each app owns the paths under its prefix; see its ``api.py``. ``config/urls.py`` serves the
``api`` imported from here, so that no router is left unmounted.
"""

from __future__ import annotations

from tend.api.api import api
from tend.api.tokens_api import me_router, tokens_router
from tend.booking.api import router as booking_router
from tend.booking.calls_api import router as calls_router
from tend.careplans.api import router as careplans_router
from tend.coaching.api import router as coaching_router
from tend.coaching.practice_api import router as practice_router
from tend.connections.api import invitations_router, shared_router, shares_router
from tend.connections.api import router as connections_router
from tend.insights.api import router as insights_router
from tend.journal.api import router as moments_router
from tend.journal.api import vocabulary_router
from tend.journal.people_api import router as people_router
from tend.journal.theme_api import router as themes_router
from tend.journal.transfer_api import router as transfer_router
from tend.notifications.api import router as notifications_router
from tend.practices.api import router as practices_router
from tend.rituals.api import router as rituals_router

api.add_router("/me", me_router)
api.add_router("/tokens", tokens_router)
# Before the moments router, whose /{moment_id} would otherwise take "export" for an id.
api.add_router("/moments", transfer_router)
api.add_router("/moments", moments_router)
api.add_router("/vocabulary", vocabulary_router)
api.add_router("/themes", themes_router)
api.add_router("/people", people_router)
api.add_router("/insights", insights_router)
api.add_router("/practices", practices_router)
api.add_router("/connections", connections_router)
api.add_router("/invitations", invitations_router)
api.add_router("/shares", shares_router)
api.add_router("/shared-with-me", shared_router)
api.add_router("/careplans", careplans_router)
api.add_router("/rituals", rituals_router)
api.add_router("/notifications", notifications_router)
# Public (auth=None) and manage-secret endpoints beside the practitioner's own; see its api.py.
api.add_router("/booking", booking_router)
# The practitioner's own calls.
api.add_router("/booking", calls_router)
api.add_router("/coaching", coaching_router)
api.add_router("/coaching", practice_router)


__all__ = ["api"]
