from __future__ import annotations

import factory
from django.utils import timezone

from tend.accounts.tests.factories import UserFactory
from tend.journal.models import Moment


class MomentFactory(factory.django.DjangoModelFactory):
    """A plain activation; pass ``author=`` to give it to a persona."""

    class Meta:
        model = Moment

    author = factory.SubFactory(UserFactory)
    kind = "activation"
    occurred_at = factory.LazyFunction(timezone.now)
    cue = "partner glanced at their buzzing phone at dinner"
    states = factory.LazyFunction(lambda: ["flight"])
    intensity = 6
