"""Alice's practices things for tend/core/tests/test_authorization_matrix.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def practices_things(alice: Any, canary: str) -> dict[str, str]:
    from tend.accounts.tests.factories import UserFactory
    from tend.connections.tests.factories import connect
    from tend.practices.models import SharedBreath
    from tend.practices.services import shared_breath_invite, shared_breath_start
    from tend.practices.tests.factories import CustomPracticeFactory, PracticeSessionFactory

    own = CustomPracticeFactory(author=alice, name=canary, steps=canary)
    session = PracticeSessionFactory(author=alice, practice_code="custom", custom_practice=own)
    _live, live_token = shared_breath_start(host=alice, minutes=5)
    ended, ended_token = shared_breath_start(host=alice, minutes=5)
    SharedBreath.objects.filter(id=ended.id).update(
        ended_at=timezone.now() - dt.timedelta(minutes=1)
    )
    # A connection of alice's own that no other row ends, to send a shared breath's link to.
    invitee = connect(alice, UserFactory(display_name="Fern"), kind="friend")
    # A shared breath whose seat alice kept for that connection: opened by its id, not a link.
    invited, _invited_token = shared_breath_start(host=alice, minutes=5)
    shared_breath_invite(actor=alice, breath=invited, connection_id=invitee.id)
    return {
        "breath_invitee": str(invitee.id),
        "breath_invited": str(invited.id),
        "breath_ended_id": str(ended.id),
        "own_practice": str(own.id),
        "practice_session": str(session.id),
        "breath": live_token,
        "breath_ended": ended_token,
    }
