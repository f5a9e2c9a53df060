"""What the connections pages read from a post, one form a page (``tend.core.forms``: values as
sent, for the services to judge)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tend.core.forms import Posted, Ticked, posted_form

VisibilityForm = posted_form(
    "VisibilityForm", appear_to_metamours=Posted(), show_my_connections=Ticked()
)
LabelForm = posted_form("LabelForm", label=Posted())
EndForm = posted_form("EndForm", quietly=Ticked())
InviteForm = posted_form("InviteForm", kind=Posted(), email=Posted())
# A moment or theme the post does not name is None, not "": the service tells them apart.
ShareForm = posted_form(
    "ShareForm",
    scope=Posted(),
    moment=Posted(absent=None),
    theme=Posted(absent=None),
    note=Posted(),
    expires=Posted(),
    include_stories=Ticked(),
)
RevokeForm = posted_form("RevokeForm", back=Posted())
DiscreetForm = posted_form("DiscreetForm", neutral_name=Ticked())
SafetyCheckForm = posted_form("SafetyCheckForm", confirm=Posted())


def messages_of(error: ValidationError) -> list[str]:
    """Every message of a service's ``ValidationError``, to show one by one."""
    return [m for messages_ in error.message_dict.values() for m in messages_]
