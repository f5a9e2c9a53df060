"""Care plans, rituals, check-ins and Together in dark mode, on a phone and on a desktop.

Each page is opened in real Chromium with ``prefers-color-scheme: dark``, photographed as
``dark-<page>-<width>.png`` and checked with axe-core. Any serious or critical violation fails,
colour contrast among them, so a dark-mode token that drifts too close to its background is
caught here. The same pass checks that form controls and the focus ring stand out 3:1 from
what is behind them, that nothing scrolls sideways and that every control is at least 44px tall.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.careplans.models import CarePlan, Repair
from tend.careplans.services import (
    agreement_give,
    careplan_create,
    debrief_write,
    proposal_create,
    repair_pause,
)
from tend.conftest import PHONE, axe_problems, new_page, screenshot
from tend.connections.tests.factories import connect, share
from tend.journal.tests.factories import MomentFactory
from tend.journal.tests.test_browser import sign_in
from tend.rituals.models import CheckIn, Ritual
from tend.rituals.schedule import occurrences
from tend.rituals.services import checkin_answer, checkin_start, occurrence_mark, ritual_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}

# Controls a thumb has to hit. Inline links inside sentences are text, not targets, and a
# checkbox or radio is hit through its (tall) label.
SMALL_TARGETS = """() => {
  const sel = 'main button, main .button, main select, main summary, main textarea, '
    + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
  return [...document.querySelectorAll(sel)]
    .filter(el => el.offsetParent !== null)
    .map(el => [el.outerHTML.slice(0, 90), el.getBoundingClientRect().height])
    .filter(([, h]) => h < 44);
}"""

# A field's edge, and the focus ring, must stand out 3:1 from what is behind them (WCAG 1.4.11);
# axe-core checks only text, so this checks the form controls and the --focus token.
WEAK_EDGES = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => {
    c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05);
  };
  const behind = el => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const weak = [];
  const sel = 'main input:not([type=hidden]):not([type=submit]), main select, main textarea';
  for (const el of document.querySelectorAll(sel)) {
    const style = getComputedStyle(el);
    if (el.offsetParent === null || style.opacity === '0') continue;
    const r = ratio(rgb(style.borderTopColor).slice(0, 3), behind(el));
    if (r < 3) weak.push(`edge ${r.toFixed(2)}:1 ${el.outerHTML.slice(0, 70)}`);
  }
  const probe = document.createElement('div');
  probe.style.color = 'var(--focus)';
  document.body.append(probe);
  const focus = rgb(getComputedStyle(probe).color);
  probe.remove();
  const r = ratio(focus, rgb(getComputedStyle(document.body).backgroundColor));
  if (r < 3) weak.push(`focus ring ${r.toFixed(2)}:1 against the page`);
  return weak;
}"""


def _place(owner: User, name: str, **fields: str) -> dict[str, Any]:
    return {"owner": str(owner.id), "name": name, **fields}


def _world(alice: User, bob: User) -> dict[str, Any]:
    """What alice has after a few weeks with bob: a plan, rituals, check-ins, a repair."""
    together = connect(alice, bob)
    plan = careplan_create(actor=alice, connections=[together])
    first = {
        "places": [
            _place(
                alice,
                "When you go on a new date",
                feels_like="A hollow feeling, as if I could be replaced",
                for_myself="Call a friend, take a long walk by the river",
                ask_for="A short text when you get home",
                others_offer="I will text before I sleep",
            ),
            _place(
                bob,
                "Plans that change at the last minute",
                feels_like="My chest goes tight and I go quiet",
                for_myself="Breathe out longer than in",
                ask_for="Tell me as soon as you know",
            ),
        ],
        "sections": [{"title": "How we talk about it", "body": "Only when we are both calm."}],
    }
    v1 = proposal_create(actor=alice, plan=plan, content=first)
    agreement_give(actor=bob, plan=plan, version=v1)
    changed = dict(first["places"][0], ask_for="A short call before you sleep")
    second = {"places": [changed, *first["places"][1:]], "sections": first["sections"]}
    v2 = proposal_create(actor=bob, plan=plan, content=second)

    today = timezone.localdate()
    checkin_ritual = ritual_create(
        actor=alice,
        connection=together,
        kind=Ritual.Kind.CHECKIN,
        rrule="FREQ=WEEKLY;BYDAY=SU",
        start_date=today - dt.timedelta(days=28),
        start_time=dt.time(19),
        words="Tea first, phones in the other room",
    )
    ritual_create(
        actor=alice,
        connection=together,
        kind=Ritual.Kind.AFFIRMATION,
        rrule="FREQ=DAILY",
        start_date=today - dt.timedelta(days=3),
        start_time=dt.time(8, 30),
        words="I choose you, today too",
    )
    # One of the last few Sundays done and one skipped, so the page shows both badges.
    past = occurrences(
        checkin_ritual, start=timezone.now() - dt.timedelta(days=21), end=timezone.now()
    )
    occurrence_mark(actor=alice, ritual=checkin_ritual, original=past[0].original, state="done")
    occurrence_mark(actor=alice, ritual=checkin_ritual, original=past[1].original, state="skipped")

    revealed = checkin_start(actor=alice, connection=together)
    checkin_answer(
        actor=alice,
        checkin=revealed,
        answers={"appreciations": "You made tea when I was tired", "tender": "Fridays"},
        action_items=["Book the Sunday walk"],
    )
    checkin_answer(
        actor=bob,
        checkin=revealed,
        answers={"appreciations": "You listened", "coming_up": "A date with Sam on Friday"},
        action_items=[],
    )
    MomentFactory(author=bob, story="I told myself I was too much again")
    share(bob, together, "weekly_summary", include_stories=True, note="A hard week; be gentle")
    open_checkin = checkin_start(actor=bob, connection=together)

    repair = repair_pause(actor=alice, connection=together, minutes=60)
    debrief_write(
        actor=alice,
        repair=repair,
        what_happened="I felt rushed",
        my_part="I raised my voice",
        try_next="Ask for a pause sooner",
    )
    return {
        "connection": together,
        "plan": plan,
        "proposal": v2,
        "ritual": checkin_ritual,
        "revealed": revealed,
        "open": open_checkin,
        "repair": repair,
    }


def _pages(world: dict[str, Any]) -> dict[str, str]:
    plan: CarePlan = world["plan"]
    repair: Repair = world["repair"]
    revealed: CheckIn = world["revealed"]
    open_checkin: CheckIn = world["open"]
    c = world["connection"]
    return {
        "careplans": "/careplans/",
        "careplan": f"/careplans/{plan.id}/",
        "careplan-propose": f"/careplans/{plan.id}/propose/",
        "careplan-diff": f"/careplans/{plan.id}/versions/{world['proposal'].id}/",
        "careplan-history": f"/careplans/{plan.id}/history/",
        "careplan-guide": f"/careplans/{plan.id}/guide/",
        "repair": "/careplans/repair/",
        "repair-debrief": f"/careplans/repair/{repair.id}/",
        "rituals": "/rituals/",
        "ritual": f"/rituals/{world['ritual'].id}/",
        "ritual-new": "/rituals/new/",
        "checkins": "/rituals/checkins/",
        "checkin": f"/rituals/checkins/{open_checkin.id}/",
        "checkin-revealed": f"/rituals/checkins/{revealed.id}/",
        "together": "/connections/",
        "together-detail": f"/connections/{c.id}/",
        "together-shares": "/connections/shares/",
    }


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375", "1280"])
def test_dark_mode_pages_have_readable_contrast_whole_width_and_big_targets(
    live_server: Any, browser: Any, alice: User, bob: User, viewport: dict[str, int]
) -> None:
    world = _world(alice, bob)
    mobile = {"is_mobile": True, "has_touch": True} if viewport is PHONE else {}
    page = new_page(browser, viewport, color_scheme="dark", **mobile)
    problems: dict[str, list[str]] = {}
    try:
        sign_in(page, live_server, alice)
        for name, path in _pages(world).items():
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            # The page really is dark: a light background here means the tokens were bypassed.
            bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert max(int(c) for c in re.findall(r"\d+", bg)[:3]) < 64, f"{path} is light: {bg}"
            screenshot(page, f"dark-{name}-{viewport['width']}")
            found = axe_problems(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                found.append(f"scrolls sideways at {width}px")
            found += [f"target {h:.0f}px tall: {html}" for html, h in page.evaluate(SMALL_TARGETS)]
            found += page.evaluate(WEAK_EDGES)
            if found:
                problems[path] = found
        assert not page.console_errors
    finally:
        page.context.close()
    assert not problems, "\n".join(f"{p}:\n  " + "\n  ".join(f) for p, f in problems.items())
