"""Taking up an invitation as someone new: carried through sign-up, accepted in two steps.

The secret arrives once in the link's query string and then lives only in the visitor's
session; sign-up and the email confirmation (in the same browser) bring the person back to the
invitation signed in, where accepting is still their own deliberate POST.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tend.accounts.models import User
from tend.connections.models import Connection
from tend.connections.services import invitation_accept, invitation_create
from tend.connections.tokens import hash_secret

pytestmark = pytest.mark.django_db

PASSWORD = "slow-tide-at-dusk-9"


def _sign_up(client: Client, email: str, zone: str | None = "Europe/Lisbon") -> str:
    """Sign up through allauth's page; return the confirmation link from the email."""
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    if zone is not None:
        data["time_zone"] = zone
    response = client.post("/accounts/signup/?next=/connections/join/", data)
    assert response.status_code == 302, response.content[:400]
    body = next(m.body for m in mail.outbox if email in m.to and "confirm-email" in m.body)
    link = re.search(r"https?://\S+?(/accounts/confirm-email/\S+)", body)
    assert link is not None
    return link.group(1)


def test_opening_the_link_keeps_the_secret_in_the_session_not_in_the_address(
    alice: User,
) -> None:
    _invitation, secret = invitation_create(actor=alice, kind="partner")
    client = Client()
    response = client.get(f"/connections/join/?t={secret}")
    assert response.status_code == 302 and response["Location"] == "/connections/join/"
    page = client.get("/connections/join/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alice" in html and secret not in html
    # The ways on (sign up, sign in) carry the secret-free address only.
    assert "next=/connections/join/" in html
    # The session keeps only the secret's hash, as the invitations table does.
    assert client.session["tend_invitation"] == hash_secret(secret)
    assert secret not in str(dict(client.session))


def test_a_new_person_signs_up_confirms_and_lands_on_the_invitation_signed_in(
    alice: User,
) -> None:
    _invitation, secret = invitation_create(actor=alice, kind="partner", email="sam@example.test")
    client = Client()
    client.get(f"/connections/join/?t={secret}")
    signup = client.get("/accounts/signup/?next=/connections/join/")
    assert secret not in signup.content.decode()
    assert "come straight back to your invitation" in signup.content.decode()
    confirm = _sign_up(client, "sam@example.test")

    # Step one after signing up: confirm (a deliberate POST), which signs in and comes back.
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == "/connections/join/"
    page = client.get("/connections/join/")
    assert "Accept and connect" in page.content.decode()
    assert not Connection.objects.exists(), "confirming must not accept anything by itself"

    # Step two: accept.
    response = client.post("/connections/join/")
    sam = User.objects.get(email="sam@example.test")
    connection = Connection.objects.get()
    assert {connection.user_a, connection.user_b} == {alice, sam}
    assert response["Location"] == f"/connections/{connection.id}/"
    assert "tend_invitation" not in client.session
    assert sam.time_zone == "Europe/Lisbon"


def test_confirming_in_another_browser_signs_nobody_in(alice: User) -> None:
    _invitation, secret = invitation_create(actor=alice, kind="friend")
    client = Client()
    client.get(f"/connections/join/?t={secret}")
    confirm = _sign_up(client, "sam@example.test")
    elsewhere = Client()
    response = elsewhere.post(confirm)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in elsewhere.session
    assert not Connection.objects.exists()


def test_an_email_invitation_is_refused_to_an_account_with_another_address(
    alice: User, bob: User, mallory: User
) -> None:
    _invitation, secret = invitation_create(actor=alice, kind="partner", email=bob.email)
    with pytest.raises(Exception, match="another email address"):
        invitation_accept(actor=mallory, secret=secret)
    client = Client()
    client.force_login(mallory)
    client.get(f"/connections/join/?t={secret}")
    page = client.get("/connections/join/").content.decode()
    assert "signed in with another address" in page and "Accept and connect" not in page
    response = client.post("/connections/join/")
    assert response.status_code == 400
    assert not Connection.objects.exists()
    # The person it was sent to still can.
    assert invitation_accept(actor=bob, secret=secret).user_b == bob


def test_an_unconfirmed_address_does_not_count(alice: User, mallory: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=mallory, email="sam@example.test", verified=False)
    _invitation, secret = invitation_create(actor=alice, kind="partner", email="sam@example.test")
    with pytest.raises(Exception, match="another email address"):
        invitation_accept(actor=mallory, secret=secret)


@pytest.mark.parametrize("link", ["?t=not-a-secret", ""])
def test_a_link_that_is_not_open_says_so_without_telling_why(link: str) -> None:
    response = Client().get(f"/connections/join/{link}")
    assert response.status_code == 404
    assert "This invitation is not open" in response.content.decode()


def test_a_used_invitation_leaves_the_session(alice: User, bob: User) -> None:
    _invitation, secret = invitation_create(actor=alice, kind="friend")
    client = Client()
    client.get(f"/connections/join/?t={secret}")
    invitation_accept(actor=bob, secret=secret)
    assert client.get("/connections/join/").status_code == 404
    assert "tend_invitation" not in client.session


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("America/Sao_Paulo", "America/Sao_Paulo"), ("Mars/Olympus_Mons", "UTC"), (None, "UTC")],
)
def test_a_new_persons_time_zone_comes_from_their_browser_or_is_utc(
    sent: str | None, kept: str, settings: Any
) -> None:
    _sign_up(Client(), "river@example.test", zone=sent)
    assert User.objects.get(email="river@example.test").time_zone == kept


def test_the_sign_up_form_asks_the_browser_for_its_zone() -> None:
    html = Client().get("/accounts/signup/").content.decode()
    assert re.search(r'<input type="hidden" name="time_zone"[^>]*data-browser-zone', html)
    assert "accounts/zone" in html


def test_a_practitioners_email_invitation_is_accepted_by_whoever_holds_the_link(
    carol: User, bob: User
) -> None:
    # A client may keep their journal under another address than the one they booked with.
    _invitation, secret = invitation_create(
        actor=carol, kind="practitioner", email="sam@example.test"
    )
    assert invitation_accept(actor=bob, secret=secret).user_b == bob
