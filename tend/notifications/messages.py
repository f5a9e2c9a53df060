"""What each notification code says: the same few calm, content-free words everywhere.

No message names a person or quotes anything they wrote, because an email, a lock screen or a
push service is not a private place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

MESSAGES = {
    "checkin.due": _("You have a check-in today."),
    "checkin.revealed": _("Everyone has answered a check-in. The answers are ready to read."),
    "ritual.due": _("A ritual of yours is coming up."),
    "affirmation.due": _("A moment for an affirmation is coming up."),
    "touchpoint.due": _("A touch point is coming up."),
    "careplan.proposal": _("There is a new proposal on a care plan."),
    "careplan.active": _("A new version of a care plan is active."),
    "careplan.under_review": _("A care plan is under review."),
    "careplan.review_due": _("A care plan is due for a gentle review."),
    "careplan.conversation": _("A calm moment to come back to your care plan, if it suits you."),
    "repair.pause": _(
        "A pause was called. Take the time you need; you will come back together later."
    ),
    "repair.return": _("It is time to come back together, if you feel ready."),
    "together.invite": _("Someone invites you to breathe together."),
    "suggestion.new": _("There is a suggestion for you to try, whenever it suits you."),
    "suggestion.due": _("A suggestion is waiting for you this week, if it suits you."),
    "share.new": _("Someone you are connected with shared something with you."),
    "coaching.summary": _("Someone you are connected with sent you a summary of your call."),
    "coaching.dashboard": _("There is something new on your practice dashboard."),
    "test": _("This is a test notification from Tend."),
}

SUBJECT = gettext_noop("Tend")

# Notices that are not about anything waiting in Together (the dot on its tab leaves them out).
NOT_TOGETHER = frozenset(
    {"test", "suggestion.new", "suggestion.due", "coaching.summary", "coaching.dashboard"}
)


# In-app notices whose words count what waits, when an unread one is shown (code -> a function
# of the recipient answering the words, or "" for the code's usual words). Counts only: a
# number is not content. Registered by the app that owns the code (coaching's dashboard).
COUNTED: dict[str, Callable[[Any], str]] = {}


def message_for(code: str, recipient: Any = None) -> str:
    """The words of ``code``; given the ``recipient`` of an unread notice, counted words where
    the code has them."""
    if recipient is not None and code in COUNTED:
        words = COUNTED[code](recipient)
        if words:
            return words
    return str(MESSAGES.get(code, _("There is something new in Tend.")))
