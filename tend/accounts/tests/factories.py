from __future__ import annotations

from typing import Any, cast

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
        # factory_boy hands the built model instance in as ``self``.
        user = cast(User, self)
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
