"""The whole life of an account in real Chromium on a phone: from signing up to deleting it.

Every page reached is checked with axe-core and photographed under artifacts/screenshots.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from tend.accounts.models import User
from tend.accounts.tests.factories import PASSWORD, UserFactory
from tend.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser

EMAIL = "river@example.test"
PASSWORD_NEW = "slow-tide-at-dusk-9"


class Journey:
    """Walks the pages, checking and photographing each one it reaches."""

    def __init__(self, page: Any, base_url: str, prefix: str = "journey") -> None:
        self.page = page
        self.prefix = prefix
        self.base_url = base_url
        self.step = 0

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def check(self, name: str) -> None:
        self.step += 1
        self.page.wait_for_load_state("networkidle")
        assert_accessible(self.page)
        screenshot(self.page, f"{self.prefix}-{self.step:02d}-{name}")
        assert self.page.console_errors == [], self.page.console_errors

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def test_an_account_from_signup_to_deletion(live_server: Any, phone_page: Any) -> None:
    page = phone_page
    j = Journey(page, live_server.url)
    # The tokens page asks "are you sure?" before revoking; the person says yes.
    page.on("dialog", lambda dialog: dialog.accept())

    # Sign up.
    j.goto("/accounts/signup/")
    j.check("signup")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD_NEW)
    page.get_by_label("Password (again)").fill(PASSWORD_NEW)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    j.check("verification-sent")

    # Open the link from the mail, then confirm with a button (a GET never confirms).
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    assert link is not None
    j.goto(link.group(1))
    j.check("confirm-email")
    page.get_by_role("button", name="Confirm my email address").click()

    # Confirming in the browser that signed up signs in (no password asked again) and goes on.
    page.wait_for_url(re.compile(r"/home/$"))
    assert "You have confirmed" in page.inner_text("body")
    assert "Successfully signed in" not in page.inner_text("body")
    j.check("home")

    # Turn on an authenticator app: the password is asked for again first.
    j.goto("/settings/")
    j.check("settings")
    page.get_by_role("link", name="Security & sign-in").click()
    j.check("mfa-index")
    page.get_by_role("link", name="Set up").first.click()
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    j.check("reauthenticate")
    page.get_by_label("Password").fill(PASSWORD_NEW)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    j.check("totp-activate")
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    j.check("recovery-codes")
    assert len(re.findall(r"\b[0-9a-z]{8}\b", page.locator("textarea").input_value())) >= 5

    # Sign out, then back in with the password and a fresh code.
    j.goto("/settings/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))
    j.check("signed-out")
    j.goto("/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD_NEW)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    j.check("totp-authenticate")
    # The code of the next period: the one used to activate may not be used twice.
    page.get_by_label("Code").fill(totp_code(secret, offset=1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/home/$"))

    # An API token: create one and revoke it.
    j.goto("/settings/tokens/")
    j.check("tokens")
    page.get_by_label("Name").fill("My scripts")
    page.get_by_role("button", name="Create token").click()
    page.get_by_role("button", name="Revoke").wait_for()
    j.check("token-created")
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text("Revoked", exact=True).wait_for()
    j.check("token-revoked")

    # Security activity shows what just happened, in plain words.
    j.goto("/settings/activity/")
    j.check("activity")
    assert page.get_by_text("Authenticator app turned on").count() == 1

    # Download everything.
    j.goto("/settings/data/")
    j.check("your-data")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert re.fullmatch(r"tend-export-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as handle:
        document = json.load(handle)
    assert document["account"]["email"] == EMAIL

    # Delete the account: a wrong address is refused and kept, the right one deletes.
    page.get_by_label("Type your email address to confirm").fill("not-me@example.test")
    page.get_by_role("button", name="Delete my account forever").click()
    page.get_by_text("not the address of this account").wait_for()
    # A refused form answers 400 on purpose; Chromium logs that as a failed load.
    page.console_errors[:] = [e for e in page.console_errors if "status of 400" not in e]
    j.check("delete-refused")
    assert page.get_by_label("Type your email address to confirm").input_value() == (
        "not-me@example.test"
    )
    page.get_by_label("Type your email address to confirm").fill(EMAIL)
    page.get_by_role("button", name="Delete my account forever").click()
    # A signed-in session is not enough to destroy everything: the password is asked again.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    j.check("delete-reauthenticate")
    assert User.objects.filter(email=EMAIL).exists()
    page.get_by_placeholder("Password").fill(PASSWORD_NEW)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_text("Your account and everything in it has been deleted").wait_for()
    j.check("deleted")
    assert not User.objects.filter(email=EMAIL).exists()

    # Signed out, and the old password opens nothing.
    j.goto("/settings/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD_NEW)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("alert").wait_for()
    j.check("signin-after-delete")


def test_the_settings_pages_on_a_desktop(live_server: Any, desktop_page: Any) -> None:
    user = UserFactory(email="desk@example.test", display_name="Desk")
    page = desktop_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/home/$"))
    for path, name in [
        ("/settings/", "desktop-settings"),
        ("/accounts/2fa/", "desktop-mfa"),
        ("/accounts/sessions/", "desktop-sessions"),
        ("/accounts/email/", "desktop-email"),
        ("/accounts/password/change/", "desktop-password"),
        ("/settings/activity/", "desktop-activity"),
        ("/settings/data/", "desktop-data"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
        screenshot(page, name)
    # The name field stops at 60 characters instead of failing afterwards; saving says so.
    page.goto(live_server.url + "/settings/")
    page.get_by_label("Your name").fill("x" * 61)
    assert page.get_by_label("Your name").input_value() == "x" * 60
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"
    assert_accessible(page)
    screenshot(page, "desktop-settings-saved")
    # Dark mode keeps its contrast.
    page.emulate_media(color_scheme="dark")
    for path, name in [
        ("/settings/data/", "desktop-data-dark"),
        ("/accounts/2fa/", "desktop-mfa-dark"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
        screenshot(page, name)


def test_the_other_account_pages_on_a_phone(live_server: Any, phone_page: Any) -> None:
    """The pages the journey does not pass through, each checked and photographed."""
    user = UserFactory(email="gallery@example.test")
    page = phone_page
    j = Journey(page, live_server.url, prefix="accounts-phone")

    # Password reset, from the request to the new password.
    j.goto("/accounts/password/reset/")
    j.check("reset-request")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    j.check("reset-sent")
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    j.goto(link.group(1))
    j.check("reset-from-key")
    page.get_by_label(re.compile(r"^New password$", re.I)).fill(PASSWORD_NEW)
    page.get_by_label(re.compile(r"^New password \(again\)$", re.I)).fill(PASSWORD_NEW)
    page.get_by_role("button", name="Save new password").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/key/done/"))
    j.check("reset-done")

    # A wrong password is refused, says so, and keeps the address typed.
    j.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("alert").wait_for()
    page.console_errors[:] = [e for e in page.console_errors if "status of 400" not in e]
    j.check("signin-error")
    assert page.get_by_label("Email").input_value() == user.email
    page.get_by_label("Password").fill(PASSWORD_NEW)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/home/$"))

    for path, name in [
        ("/accounts/password/change/", "password-change"),
        ("/accounts/email/", "email"),
        ("/accounts/sessions/", "sessions"),
        ("/accounts/logout/", "logout-confirm"),
        ("/accounts/2fa/webauthn/add/", "webauthn-add-reauth"),
    ]:
        j.goto(path)
        j.check(name)
    page.get_by_label("Password").fill(PASSWORD_NEW)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    j.check("webauthn-add")
