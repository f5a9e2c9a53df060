"""Alice's care-plan things for the authorization matrix in tend/core/tests."""

from __future__ import annotations

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.careplans.models import Agreement
from tend.careplans.services import (
    agreement_give,
    careplan_create,
    proposal_create,
    repair_pause,
)
from tend.connections.tests.factories import connect


def careplans_things(alice: User, canary: str) -> dict[str, str]:
    """A plan with a partner of her own (gale, whom no other row disconnects): version 1 agreed,
    and a proposal of gale's waiting for alice; a repair she paused."""
    gale = UserFactory(display_name="Gale")
    connection = connect(alice, gale)
    plan = careplan_create(actor=alice, connections=[connection])
    place = {"owner": str(alice.id), "name": canary, "feels_like": canary}
    v1 = proposal_create(actor=alice, plan=plan, content={"places": [place]})
    agreement_give(actor=gale, plan=plan, version=v1)
    waiting = proposal_create(
        actor=gale, plan=plan, content={"places": [{**place, "ask_for": canary}]}
    )
    assert not Agreement.objects.filter(version=waiting, user=alice).exists()
    repair = repair_pause(actor=alice, connection=connection, minutes=30)
    return {
        "plan": str(plan.id),
        "plan_version": str(v1.id),
        "plan_proposal": str(waiting.id),
        "repair": str(repair.id),
    }
