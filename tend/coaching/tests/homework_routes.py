"""The routes of suggestions and practice progress, whose rows are in
``test_homework_authorization.py`` (the coaching table's completeness check counts them there)."""

from __future__ import annotations

HOMEWORK_ROUTES = frozenset(
    {
        "coaching/clients/<uuid:id>/suggestions/",
        "coaching/suggestions/<uuid:id>/withdraw/",
        "coaching/suggestions/<uuid:id>/decline/",
        "api/v1/coaching/clients/<connection_id>/suggestions",
        "api/v1/coaching/suggestions",
        "api/v1/coaching/suggestions/<suggestion_id>/withdraw",
        "api/v1/coaching/suggestions/<suggestion_id>/decline",
        "api/v1/coaching/clients/<connection_id>/progress",
    }
)
