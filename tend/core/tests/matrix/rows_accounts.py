"""The shell and allauth's pages: entrances, and managing one's own account."""

from __future__ import annotations

from tend.core.tests.matrix.base import (
    HOME,
    LOGIN,
    OTHERS,
    Row,
    entrance,
    owned,
    page,
    public,
    redirect,
)

SHELL_AND_ACCOUNTS: list[Row] = [
    # --- The shell -----------------------------------------------------------------------
    Row("", "GET", "/", {"anonymous": 200, **dict.fromkeys(("alice", *OTHERS), HOME)}),
    Row("home/", "GET", "/home/", page()),
    Row("manifest.webmanifest", "GET", "/manifest.webmanifest", public()),
    Row("healthz", "GET", "/healthz", public()),
    Row("sw.js", "GET", "/sw.js", public()),
    # --- allauth: entrance pages -----------------------------------------------------------
    Row("accounts/login/", "GET", "/accounts/login/", entrance()),
    Row("accounts/signup/", "GET", "/accounts/signup/", entrance()),
    Row("accounts/logout/", "GET", "/accounts/logout/", page(anonymous=HOME)),
    Row("accounts/inactive/", "GET", "/accounts/inactive/", public()),
    Row("accounts/password/reset/", "GET", "/accounts/password/reset/", public()),
    Row("accounts/password/reset/done/", "GET", "/accounts/password/reset/done/", public()),
    Row(
        "accounts/password/reset/key/done/",
        "GET",
        "/accounts/password/reset/key/done/",
        public(),
    ),
    Row(
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        "GET",
        "/accounts/password/reset/key/1-not-a-real-key/",
        public(),
    ),
    Row("accounts/confirm-email/", "GET", "/accounts/confirm-email/", public()),
    Row(
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
        "GET",
        "/accounts/confirm-email/not-a-real-key/",
        public(),
    ),
    # These continue a sign-in already under way; without one they lead back to the start.
    Row("accounts/login/code/confirm/", "GET", "/accounts/login/code/confirm/", entrance(LOGIN)),
    Row("accounts/2fa/authenticate/", "GET", "/accounts/2fa/authenticate/", entrance(LOGIN)),
    Row("accounts/2fa/webauthn/login/", "GET", "/accounts/2fa/webauthn/login/", entrance(LOGIN)),
    # --- allauth: managing one's own account -----------------------------------------------
    Row("accounts/email/", "GET", "/accounts/email/", page()),
    Row("accounts/password/change/", "GET", "/accounts/password/change/", page()),
    Row("accounts/password/set/", "GET", "/accounts/password/set/", page(signed_in=HOME)),
    Row("accounts/reauthenticate/", "GET", "/accounts/reauthenticate/", page()),
    Row("accounts/reauthenticate/code/", "GET", "/accounts/reauthenticate/code/", page()),
    Row(
        "accounts/reauthenticate/code/confirm/",
        "GET",
        "/accounts/reauthenticate/code/confirm/",
        page(signed_in=redirect("/accounts/reauthenticate/code/")),
    ),
    Row("accounts/2fa/", "GET", "/accounts/2fa/", page()),
    # Without a second factor, confirming it is again a matter of the password.
    Row(
        "accounts/2fa/reauthenticate/",
        "GET",
        "/accounts/2fa/reauthenticate/",
        page(signed_in=redirect("/accounts/reauthenticate/")),
    ),
    Row("accounts/2fa/totp/activate/", "GET", "/accounts/2fa/totp/activate/", page()),
    # Nobody in the table has TOTP yet: there is nothing of theirs to turn off or show.
    Row(
        "accounts/2fa/totp/deactivate/",
        "GET",
        "/accounts/2fa/totp/deactivate/",
        page(signed_in=404),
    ),
    Row(
        "accounts/2fa/recovery-codes/", "GET", "/accounts/2fa/recovery-codes/", page(signed_in=404)
    ),
    Row(
        "accounts/2fa/recovery-codes/generate/",
        "GET",
        "/accounts/2fa/recovery-codes/generate/",
        page(),
    ),
    Row(
        "accounts/2fa/recovery-codes/download/",
        "GET",
        "/accounts/2fa/recovery-codes/download/",
        page(signed_in=404),
    ),
    Row("accounts/2fa/webauthn/", "GET", "/accounts/2fa/webauthn/", page()),
    Row("accounts/2fa/webauthn/add/", "GET", "/accounts/2fa/webauthn/add/", page()),
    Row(
        "accounts/2fa/webauthn/reauthenticate/",
        "GET",
        "/accounts/2fa/webauthn/reauthenticate/",
        # Alice has a passkey and may confirm with it; the others are sent to their password.
        page(signed_in=redirect("/accounts/reauthenticate/"), alice=200),
    ),
    Row(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        "GET",
        "/accounts/2fa/webauthn/keys/{webauthn}/remove/",
        owned(),
    ),
    Row(
        "accounts/2fa/webauthn/keys/<int:pk>/edit/",
        "GET",
        "/accounts/2fa/webauthn/keys/{webauthn}/edit/",
        owned(),
    ),
    Row("accounts/sessions/", "GET", "/accounts/sessions/", page()),
]


SETTINGS: list[Row] = [
    # --- Settings ------------------------------------------------------------------------
    Row("settings/", "GET", "/settings/", page()),
    Row("settings/activity/", "GET", "/settings/activity/", page()),
    Row("settings/data/", "GET", "/settings/data/", page()),
    Row("settings/data/export/", "POST", "/settings/data/export/", page()),
    # Without the typed confirmation nothing is deleted: the form asks again.
    Row("settings/data/delete/", "POST", "/settings/data/delete/", page(signed_in=400)),
    # Each persona downloads their own journal: the canary check shows none gets alice's.
    Row("settings/data/journal/export/", "GET", "/settings/data/journal/export/", page()),
    Row("settings/data/journal/import/", "GET", "/settings/data/journal/import/", page()),
    # Without a file nothing is imported: the form asks for one.
    Row(
        "settings/data/journal/import/",
        "POST",
        "/settings/data/journal/import/",
        page(signed_in=400),
    ),
    Row("settings/tokens/", "GET", "/settings/tokens/", page()),
    Row(
        "settings/tokens/<uuid:token_id>/revoke/",
        "POST",
        "/settings/tokens/{token}/revoke/",
        owned(alice=302),
    ),
]
