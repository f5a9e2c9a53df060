"""Alice's rituals things for the authorization matrix in tend/core/tests."""

from __future__ import annotations

import datetime as dt

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.connections.tests.factories import connect
from tend.rituals.models import ActionItem, CheckIn
from tend.rituals.services import checkin_answer, checkin_start, feed_create, ritual_create


def rituals_things(alice: User, canary: str) -> dict[str, str]:
    """A ritual of her own (three: one to archive by page, one by API), a check-in with a partner
    of her own (frankie, whom no other row disconnects) that she answered with an action item,
    and her calendar link."""
    connection = connect(alice, UserFactory(display_name="Frankie"))

    def ritual(words: str) -> str:
        made = ritual_create(
            actor=alice,
            kind="affirmation",
            rrule="FREQ=DAILY",
            start_date=dt.date(2026, 1, 1),
            start_time=dt.time(9),
            words=words,
        )
        return str(made.id)

    checkin: CheckIn = checkin_start(actor=alice, connection=connection)
    checkin_answer(
        actor=alice, checkin=checkin, answers={"appreciations": canary}, action_items=[canary]
    )
    item = ActionItem.objects.get(checkin=checkin)
    return {
        "ritual": ritual(canary),
        "ritual_spare": ritual(canary),
        "ritual_api": ritual(canary),
        "checkin": str(checkin.id),
        "action_item": str(item.id),
        "feed_secret": feed_create(actor=alice),
    }
