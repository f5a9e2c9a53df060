"""Export everything and delete everything, from the person's own settings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client

from tend.accounts.export import collect_export, register_export_section
from tend.accounts.models import User
from tend.accounts.services import account_delete, account_export
from tend.conftest import client_for
from tend.core.audit import record
from tend.core.models import AuditEvent


def test_the_export_downloads_as_a_dated_json_file(alice: User) -> None:
    response = client_for(alice).post("/settings/data/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="tend-export-20')
    assert response["Content-Disposition"].endswith('.json"')
    document = json.loads(response.content)
    assert document["account"]["email"] == alice.email


def test_the_export_holds_your_account_and_activity_and_nothing_of_others(
    alice: User, bob: User
) -> None:
    record(actor=alice, action="account.signed_in")
    record(actor=bob, action="mfa.totp_added")
    document = account_export(user=alice)
    assert document["account"] == {
        "id": str(alice.pk),
        "email": "alice@example.test",
        "display_name": "Alice",
        "time_zone": "Europe/Berlin",
        "language": "en",
        "appearance": "system",
        "joined": alice.date_joined.isoformat(),
    }
    assert [e["action"] for e in document["security_activity"]] == ["account.signed_in"]
    text = json.dumps(document)
    assert bob.email not in text
    assert str(bob.pk) not in text
    assert "mfa.totp_added" not in text


def test_exporting_is_itself_recorded(alice: User) -> None:
    account_export(user=alice)
    assert AuditEvent.objects.filter(subject=alice, action="account.exported").exists()


def test_other_apps_can_add_an_export_section(alice: User, bob: User) -> None:
    from tend.accounts import export

    @register_export_section("test_section")
    def _section(user: User) -> dict[str, Any]:
        return {"owner": str(user.pk)}

    try:
        assert collect_export(user=alice)["test_section"] == {"owner": str(alice.pk)}
    finally:
        export._SECTIONS.pop("test_section")


def test_the_delete_page_explains_what_will_be_destroyed(alice: User) -> None:
    body = client_for(alice).get("/settings/data/").content.decode()
    assert "cannot be undone" in body
    assert "download your data first" in body
    assert '<label for="id_email">' in body


def test_deleting_needs_the_account_email_typed_again(alice: User) -> None:
    response = client_for(alice).post("/settings/data/delete/", {"email": "bob@example.test"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "not the address of this account" in body
    assert 'value="bob@example.test"' in body
    assert User.objects.filter(pk=alice.pk).exists()


def delete_with_password(client: Client, email: str, password: str) -> Any:
    """Confirm the deletion, then give the password when asked; the answer after that."""
    asked = client.post("/settings/data/delete/", {"email": email})
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    return client.post(asked["Location"], {"password": password})


def test_deleting_asks_for_the_password_again_and_then_deletes(alice: User, password: str) -> None:
    client = client_for(alice)  # signed in, but not in the last few minutes by password
    asked = client.post("/settings/data/delete/", {"email": alice.email})
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert User.objects.filter(pk=alice.pk).exists()
    wrong = client.post(asked["Location"], {"password": "not-her-password"})
    assert wrong.status_code == 200  # the reauthentication form again, with its error
    assert User.objects.filter(pk=alice.pk).exists()
    done = client.post(asked["Location"], {"password": password})
    assert done.status_code == 302 and done["Location"] == "/"
    assert not User.objects.filter(pk=alice.pk).exists()


def test_a_recent_reauthentication_is_not_asked_for_twice(alice: User, password: str) -> None:
    client = client_for(alice)
    client.post("/accounts/reauthenticate/", {"password": password})
    response = client.post("/settings/data/delete/", {"email": alice.email})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.filter(pk=alice.pk).exists()


def test_deleting_the_account_leaves_no_rows_and_signs_out(
    alice: User, bob: User, password: str
) -> None:
    record(actor=alice, action="account.signed_in")
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = client_for(alice)
    response = delete_with_password(client, "ALICE@example.test", password)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not EmailAddress.objects.filter(user_id=alice.pk).exists()
    assert not Authenticator.objects.filter(user_id=alice.pk).exists()
    assert not AuditEvent.objects.filter(subject_id=alice.pk).exists()
    assert not AuditEvent.objects.filter(actor_id=alice.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()
    assert client.get("/settings/")["Location"].startswith("/accounts/login/")


def test_deleting_shreds_the_data_key_first(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from tend.core import vault

    calls: list[bool] = []

    def fake_shred(*, user: User) -> None:
        # The account must still exist when its key is destroyed.
        calls.append(User.objects.filter(pk=user.pk).exists())

    monkeypatch.setattr(vault, "shred", fake_shred)
    account_delete(user=alice)
    assert calls == [True]
    assert not User.objects.filter(pk=alice.pk).exists()


def test_if_shredding_fails_nothing_is_deleted(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tend.core import vault

    def broken_shred(*, user: User) -> None:
        raise RuntimeError("key store unavailable")

    monkeypatch.setattr(vault, "shred", broken_shred)
    with pytest.raises(RuntimeError):
        account_delete(user=alice)
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_signs_out_every_other_device(alice: User, password: str) -> None:
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post("/accounts/login/", {"login": alice.email, "password": password})
    assert UserSession.objects.filter(user=alice).count() == 2
    delete_with_password(phone, alice.email, password)
    assert laptop.get("/settings/")["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.exists()
