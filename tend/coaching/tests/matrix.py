"""Alice's coaching things for the authorization matrix in tend/core/tests.

Alice offers calls (booking_things made her a practitioner): Hana booked one, alice filled its
worksheet with the canary and handed it over, and Hana accepted, so Hana is alice's client; a
second call of Ivo's has a worksheet not yet handed over; alice keeps two private notes about
Hana, and a draft summary of Hana's call. Hana grants alice her trigger map, her weekly summary
and a theme. Alice is also a client herself: Gwen, a practitioner, handed alice the map of
alice's own call, and alice accepted; Gwen sent her summaries of two calls.
Alice suggested a practice to Hana, who shares her practice progress with alice; Gwen made
alice two suggestions.
"""

from __future__ import annotations

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.booking.tests.factories import book, days_ahead, default_call, local
from tend.coaching.services import session_note_add
from tend.coaching.suggestions import suggestion_create
from tend.coaching.summaries import summary_save, summary_send
from tend.coaching.tests.factories import call_booked, filled, handed_over
from tend.connections.share_services import share_create
from tend.connections.tests.factories import share
from tend.journal.models import Theme
from tend.journal.tests.factories import MomentFactory


def coaching_things(alice: User, canary: str) -> dict[str, str]:
    hana = UserFactory(display_name="Hana", email="hana@example.test")
    call, _secret = book(default_call(alice), local(days_ahead(3), 10), email=hana.email)
    _handover, client = handed_over(alice, hana, filled(alice, call, words=canary))
    spare, _spare_secret = book(
        default_call(alice), local(days_ahead(3), 12), email="ivo@example.test"
    )
    filled(alice, spare, words=canary)
    gwen = UserFactory(display_name="Gwen", email="gwen@example.test")
    theirs = call_booked(gwen, email=alice.email, cue=canary, slug="gwen-calls")
    handover, gwens = handed_over(gwen, alice, filled(gwen, theirs, words=canary))
    grants = {
        scope: share_create(actor=hana, connection=client, scope=scope)
        for scope in ("trigger_map", "weekly_summary")
    }
    theme = Theme.objects.create(owner=hana, name="Date nights")
    MomentFactory(author=hana, theme=theme, cue="Hana's own words")
    grants["theme"] = share_create(actor=hana, connection=client, scope="theme", theme_id=theme.id)
    note = session_note_add(actor=alice, connection=client, text=canary)
    spare_note = session_note_add(actor=alice, connection=client, text=canary)
    summary_save(actor=alice, booking=call, text=canary)
    again, _again_secret = book(default_call(gwen), local(days_ahead(4), 10), email=alice.email)
    received = [
        summary_send(actor=gwen, summary=summary_save(actor=gwen, booking=b, text=canary))
        for b in (theirs, again)
    ]
    # Suggestions: alice's to Hana (who shares her practice progress), and two of Gwen's to alice.
    suggestion = suggestion_create(
        actor=alice, connection=client, practice="long_exhale", note=canary
    )
    share(hana, client, "practice_progress")
    to_alice = [
        suggestion_create(actor=gwen, connection=gwens, practice="box_breathing", note=canary)
        for _ in range(2)
    ]
    return {
        "coach_summary": str(received[0].id),
        "coach_spare_summary": str(received[1].id),
        "coach_suggestion": str(suggestion.id),
        "coach_to_alice": str(to_alice[0].id),
        "coach_to_alice_api": str(to_alice[1].id),
        "coach_note": str(note.id),
        "coach_spare_note": str(spare_note.id),
        "coach_call": str(call.id),
        "coach_spare": str(spare.id),
        "coach_client": str(client.id),
        "coach_map": str(handover.id),
        "coach_grant_map": str(grants["trigger_map"].id),
        "coach_grant_summary": str(grants["weekly_summary"].id),
        "coach_grant_theme": str(grants["theme"].id),
    }
