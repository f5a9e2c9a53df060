"""Rate limits on signing in, signing up and password resets (allauth, configured in settings)."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from tend.accounts.models import User


def test_repeated_wrong_passwords_lock_that_address_for_a_while(alice: User, password: str) -> None:
    client = Client()
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": alice.email, "password": "not-her-password"}
        )
        assert response.status_code == 200
    # Even the right password is refused until the window passes: guessing gains nothing.
    response = client.post("/accounts/login/", {"login": alice.email, "password": password})
    assert "_auth_user_id" not in client.session
    assert b"Too many failed" in response.content


def test_a_flood_of_sign_ups_from_one_address_is_slowed(db: None) -> None:
    client = Client()
    statuses = [
        client.post(
            "/accounts/signup/",
            {
                "email": f"flood{i}@example.test",
                "password1": "a-long-calm-password-1",
                "password2": "a-long-calm-password-1",
            },
        ).status_code
        for i in range(22)
    ]
    assert 429 in statuses
    assert statuses.index(429) >= 20


def test_password_reset_mails_for_one_address_are_limited(alice: User) -> None:
    client = Client()
    for _ in range(8):
        client.post("/accounts/password/reset/", {"email": alice.email})
    assert len(mail.outbox) == 5  # the "5/m/key" limit in ACCOUNT_RATE_LIMITS
