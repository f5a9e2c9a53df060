from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tend.accounts.models import User
from tend.journal.models import Moment, Theme

pytestmark = pytest.mark.django_db


def test_demo_creates_a_verified_account_with_six_months_of_moments() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    user = User.objects.get(email="demo@tend.local")
    assert "Password: " in out.getvalue() and "demo@tend.local" in out.getvalue()
    moments = Moment.objects.filter(author=user)
    assert moments.count() > 150
    first, last = moments.order_by("occurred_at").first(), moments.order_by("occurred_at").last()
    assert first is not None and last is not None
    assert (last.occurred_at - first.occurred_at).days >= 170
    assert {m.kind for m in moments} == {"activation", "glimmer"}
    states = {s for m in moments for s in m.states}
    assert {"connected", "fight", "flight", "freeze"} <= states
    assert Theme.objects.filter(owner=user).count() == 4
    assert moments.filter(theme__isnull=False).exists()
    assert any(m.intensity_after is not None and m.intensity_after < m.intensity for m in moments)
    assert any("hand on my knee" in m.cue.lower() for m in moments.filter(kind="glimmer"))


def test_running_demo_twice_does_not_duplicate_and_reset_recreates() -> None:
    call_command("demo", stdout=StringIO())
    count = Moment.objects.filter(author__email="demo@tend.local").count()
    call_command("demo", stdout=StringIO())
    assert Moment.objects.filter(author__email="demo@tend.local").count() == count
    call_command("demo", "--reset", stdout=StringIO())
    assert User.objects.filter(email="demo@tend.local").count() == 1
    assert Moment.objects.filter(author__email="demo@tend.local").count() == count
