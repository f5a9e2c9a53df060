"""The check-in agenda, inspired by RADAR and the weekly "state of the union"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AGENDA = [
    (
        "appreciations",
        _("Appreciations"),
        _("Something you appreciated about the other, or about us, this week."),
    ),
    ("went_well", _("What went well"), _("A moment that felt good, easy or close.")),
    (
        "coming_up",
        _("What's coming up"),
        _("Plans, busy days, and dates with others, so nothing lands as a surprise."),
    ),
    ("tender", _("Tender places and needs"), _("Anything that felt tender, and what would help.")),
    (
        "careplan_review",
        _("Our care plan"),
        _("Is there anything in the care plan to look at again?"),
    ),
]
MAX_ACTION_ITEMS = 3
