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


def passkey_for(user: User, name: str = "My phone") -> Any:
    """A WebAuthn authenticator (passkey) for ``user``, as a software key would register it.

    It carries a real "none"-attestation registration response, so allauth can parse and show it.
    """
    import hashlib
    import os

    from allauth.mfa.webauthn.internal.auth import WebAuthn
    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.utils import websafe_encode
    from fido2.webauthn import (
        AttestationObject,
        AttestedCredentialData,
        AuthenticatorData,
        CollectedClientData,
    )

    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    credential = AttestedCredentialData.create(
        b"\0" * 16, credential_id, ES256.from_cryptography_key(key.public_key())
    )
    auth_data = AuthenticatorData.create(
        hashlib.sha256(b"localhost").digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT,
        0,
        credential,
    )
    client_data = CollectedClientData.create("webauthn.create", os.urandom(16), "http://localhost")
    response = {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(bytes(client_data)),
            "attestationObject": websafe_encode(
                bytes(AttestationObject.create("none", auth_data, {}))
            ),
        },
    }
    return WebAuthn.add(user, name, response).instance
