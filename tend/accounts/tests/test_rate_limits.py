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


def test_failing_on_purpose_from_elsewhere_cannot_lock_the_owner_out(
    alice: User, password: str
) -> None:
    mallory = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(8):
        mallory.post("/accounts/login/", {"login": alice.email, "password": "guess"})
    response = mallory.post("/accounts/login/", {"login": alice.email, "password": "guess"})
    assert b"Too many failed" in response.content  # the guesser is stopped…
    alice_phone = Client(REMOTE_ADDR="198.51.100.20")
    alice_phone.post("/accounts/login/", {"login": alice.email, "password": password})
    assert alice_phone.session["_auth_user_id"] == str(alice.pk)  # …and alice is not


def test_one_address_guessing_many_accounts_is_stopped(db: None) -> None:
    client = Client(REMOTE_ADDR="203.0.113.66")
    for i in range(10):  # "10/m/ip": one failure each for ten accounts
        client.post("/accounts/login/", {"login": f"person{i}@example.test", "password": "x"})
    response = client.post("/accounts/login/", {"login": "another@example.test", "password": "x"})
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
