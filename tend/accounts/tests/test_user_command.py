"""``tend user create``: the operator's way to make a verified account."""

from __future__ import annotations

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client

from tend.accounts.models import User


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_verified_account_that_can_sign_in(db: None) -> None:
    output = run("create", "--email", "New@Example.test", "--password", "quiet-river-77x")
    user = User.objects.get(email="new@example.test")
    address = EmailAddress.objects.get(user=user)
    assert (address.verified, address.primary) == (True, True)
    assert "quiet-river-77x" not in output
    response = Client().post(
        "/accounts/login/", {"login": "new@example.test", "password": "quiet-river-77x"}
    )
    assert response["Location"] == "/home/"


def test_without_a_password_it_generates_and_prints_one(db: None) -> None:
    output = run("create", "--email", "gen@example.test")
    match = re.search(r"Password \(shown once, pass it on safely\): (\S+)", output)
    assert match is not None
    user = User.objects.get(email="gen@example.test")
    assert user.check_password(match.group(1))


def test_it_refuses_an_address_that_already_has_an_account(alice: User) -> None:
    with pytest.raises(CommandError, match="already exists"):
        run("create", "--email", "ALICE@example.test")
    assert User.objects.count() == 1


def test_it_refuses_a_weak_password_with_the_reason(db: None) -> None:
    with pytest.raises(CommandError, match="too short"):
        run("create", "--email", "weak@example.test", "--password", "abc")
    assert not User.objects.filter(email="weak@example.test").exists()
