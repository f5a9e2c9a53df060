from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from tend.accounts.models import User

PASSWORD = "calm-harbour-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified person who can sign in with ``PASSWORD``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    display_name = factory.Faker("first_name")
    time_zone = "Europe/Berlin"

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
