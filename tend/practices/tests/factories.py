from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.practices.models import CustomPractice, PracticeSession


class CustomPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomPractice

    author = factory.SubFactory(UserFactory)
    name = "Counting waves"
    steps = "Breathe in like a wave rising\nBreathe out like it falls"
    kind = "breath"
    pattern = factory.LazyFunction(lambda: [4, 1, 6, 1])
    duration_seconds = 120


class PracticeSessionFactory(factory.django.DjangoModelFactory):
    """A rated run of the long exhale; pass ``author=`` and the intensities you need."""

    class Meta:
        model = PracticeSession

    author = factory.SubFactory(UserFactory)
    practice_code = "long_exhale"
    started_at = factory.LazyFunction(timezone.now)
    duration_seconds = 180
    intensity_before = 7
    intensity_after = 4
    state = "fight"


def own_practice_that_helped(author: User, *, name: str) -> CustomPractice:
    """``author``'s own practice ``name``, rated five times this week (8 down to 3), enough to
    rank in "what helps", and five moments in the last hours, so that a map has something to
    show. For the checks that the name stays the author's alone."""
    from tend.journal.tests.factories import MomentFactory

    practice = CustomPractice.objects.create(author=author, name=name)
    for hours in range(1, 6):
        MomentFactory(author=author, occurred_at=timezone.now() - dt.timedelta(hours=hours))
    for days in range(1, 6):
        PracticeSession.objects.create(
            author=author,
            practice_code="custom",
            custom_practice=practice,
            started_at=timezone.now() - dt.timedelta(days=days),
            intensity_before=8,
            intensity_after=3,
            state="flight",
        )
    return practice
