"""Nobody can learn whether an address has an account from the password reset page."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from tend.accounts.models import User


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(alice: User) -> None:
    known = Client().post("/accounts/password/reset/", {"email": alice.email})
    known_mail = list(mail.outbox)
    mail.outbox.clear()
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.test"})
    unknown_mail = list(mail.outbox)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    # Both addresses receive one mail of the same kind; only the owner of the inbox can tell
    # the difference.
    assert len(known_mail) == len(unknown_mail) == 1
    assert type(known_mail[0]) is type(unknown_mail[0])
    assert known_mail[0].to == [alice.email]
    assert unknown_mail[0].to == ["nobody@example.test"]
    assert "/accounts/password/reset/key/" in known_mail[0].body
    assert "/accounts/password/reset/key/" not in unknown_mail[0].body


def test_signing_up_with_a_taken_address_looks_like_a_fresh_signup(alice: User) -> None:
    response = Client().post(
        "/accounts/signup/",
        {"email": alice.email, "password1": "quiet-river-77x", "password2": "quiet-river-77x"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email=alice.email).count() == 1
