"""Sign-ins, sign-outs, password and MFA changes land in the person's security activity."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client

from tend.accounts.models import User
from tend.core.models import AuditEvent


def actions(user: User) -> list[str]:
    return list(AuditEvent.objects.filter(subject=user).values_list("action", flat=True))


def signed_in_client(user: User, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    return client


def test_signing_in_and_out_is_recorded(alice: User, password: str) -> None:
    client = signed_in_client(alice, password)
    client.post("/accounts/logout/")
    assert "account.signed_in" in actions(alice)
    assert "account.signed_out" in actions(alice)


def test_a_failed_sign_in_records_nothing(alice: User) -> None:
    Client().post("/accounts/login/", {"login": alice.email, "password": "wrong-wrong-1"})
    Client().post("/accounts/login/", {"login": "nobody@example.test", "password": "x"})
    assert AuditEvent.objects.count() == 0


def test_a_password_change_is_recorded(alice: User, password: str) -> None:
    client = signed_in_client(alice, password)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": "quiet-river-77x", "password2": "quiet-river-77x"},
    )
    assert response.status_code == 302
    assert "account.password_changed" in actions(alice)


def test_a_password_reset_by_link_is_recorded(alice: User) -> None:
    client = Client()
    client.post("/accounts/password/reset/", {"email": alice.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    response = client.post(
        form_url, {"password1": "quiet-river-77x", "password2": "quiet-river-77x"}
    )
    assert response.status_code == 302
    assert "account.password_reset" in actions(alice)


def test_confirming_an_email_address_is_recorded(db: None) -> None:
    client = Client()
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.test",
            "password1": "quiet-river-77x",
            "password2": "quiet-river-77x",
        },
    )
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", mail.outbox[0].body)
    assert link is not None
    client.post(link.group(1))
    user = User.objects.get(email="new@example.test")
    assert "account.email_confirmed" in actions(user)


def test_turning_totp_on_and_off_is_recorded(
    alice: User, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in_client(alice, password)
    # Turning on a second factor asks for the password again, even right after signing in.
    client.post("/accounts/reauthenticate/", {"password": password})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    # allauth announces a new authenticator once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert {"mfa.totp_added", "mfa.recovery_codes_generated"} <= set(actions(alice))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/deactivate/")
    assert "mfa.totp_removed" in actions(alice)
    # No secret, code or address ends up in the log: only ids and codes.
    for event in AuditEvent.objects.filter(subject=alice):
        assert secret not in str(event.meta)
        assert alice.email not in str(event.meta)


def test_signing_out_other_sessions_is_recorded(alice: User, password: str) -> None:
    here = signed_in_client(alice, password)
    signed_in_client(alice, password)
    response = here.post("/accounts/sessions/")
    assert response.status_code == 302
    event = AuditEvent.objects.get(subject=alice, action="session.signed_out_others")
    assert event.meta == {"count": 1}


@pytest.mark.parametrize("code", ["000000"])
def test_a_wrong_second_factor_code_is_shown_to_the_account_holder(
    alice: User, password: str, code: str
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(alice, "JBSWY3DPEHPK3PXP")
    client = Client()
    response = client.post("/accounts/login/", {"login": alice.email, "password": password})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": code})
    event = AuditEvent.objects.get(subject=alice, action="mfa.code_rejected")
    assert event.actor is None
