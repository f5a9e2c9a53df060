from __future__ import annotations

import factory
from django.utils import timezone

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
