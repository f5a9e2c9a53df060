"""`tend token create|revoke`."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tend.accounts.models import User
from tend.api.models import ApiToken
from tend.api.tests.conftest import TokenMaker, token_client


def test_create_prints_only_a_token_that_authenticates(alice: User) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token", "create", "--email", "Alice@Example.test", "--scope", "write",
        "--name", "Backup job", stdout=out, stderr=err,
    )
    secret = out.getvalue().strip()
    assert secret.startswith("tend_") and "\n" not in secret and " " not in secret
    assert err.getvalue() == ""
    assert token_client(secret).get("/api/v1/me").json()["id"] == str(alice.id)
    token = ApiToken.objects.get(user=alice)
    assert (token.name, token.scope) == ("Backup job", "write")


def test_create_defaults_to_a_read_token(alice: User) -> None:
    call_command("token", "create", "--email", "alice@example.test", stdout=io.StringIO())
    assert ApiToken.objects.get(user=alice).scope == "read"


def test_an_unknown_email_is_an_error_and_prints_no_token(db: object) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError, match="No account"):
        call_command("token", "create", "--email", "nobody@example.test", stdout=out)
    assert out.getvalue() == ""


def test_revoke_by_prefix(alice: User, make_token: TokenMaker) -> None:
    token, secret = make_token(alice)
    call_command(
        "token", "revoke", "--email", "alice@example.test", "--prefix", token.prefix,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )
    assert token_client(secret).get("/api/v1/me").status_code == 401


def test_revoke_refuses_another_persons_prefix(
    alice: User, bob: User, make_token: TokenMaker
) -> None:
    token, _ = make_token(alice)
    with pytest.raises(CommandError):
        call_command("token", "revoke", "--email", "bob@example.test", "--prefix", token.prefix)
    assert ApiToken.objects.get(id=token.id).revoked_at is None


def test_help_explains_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "token", "create", "--help"],
        capture_output=True, text=True, check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.test_settings", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "--email" in result.stdout and "--scope" in result.stdout


def test_an_unknown_email_exits_non_zero_on_the_command_line(
    db: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from tend.api.management.commands.token import Command

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(
            ["tend", "token", "create", "--email", "nobody@example.test"]
        )
    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert captured.out == "" and "No account" in captured.err
