"""The ``tend`` console command, run as an operator runs it (the venv's ``tend`` script)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TEND = Path(sys.executable).parent / "tend"
OPERATOR_COMMANDS = ["serve", "worker", "user", "token", "backup", "restore", "keys"]
OURS = ["serve", "worker", "backup", "restore"]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEND_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # `tend` chooses its own settings
    env["TEND_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(TEND), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_tend_help_lists_every_operator_command(tmp_path: Path) -> None:
    result = run(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    listed = {line.strip() for line in result.stdout.splitlines()}
    missing = [name for name in OPERATOR_COMMANDS if name not in listed]
    assert missing == []


@pytest.mark.parametrize("command", OURS)
def test_each_command_explains_itself_with_help(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: tend {command}" in result.stdout


def test_restore_help_says_it_needs_yes_and_a_stopped_server(tmp_path: Path) -> None:
    text = " ".join(run(tmp_path, "restore", "--help").stdout.split())
    assert "--yes" in text and "Stop the server" in text


def test_backup_help_says_the_key_file_is_not_included(tmp_path: Path) -> None:
    text = " ".join(run(tmp_path, "backup", "--help").stdout.split())
    assert "key file is NOT included" in text


@pytest.mark.parametrize(
    ("lines", "warned"), [("[]", True), ('[{"name": "Listening Line"}]', False)]
)
def test_serve_warns_the_operator_when_no_crisis_line_is_set(
    monkeypatch: pytest.MonkeyPatch, settings: Any, lines: str, warned: bool
) -> None:
    from io import StringIO

    from tend.core.management.commands import serve

    class Started(Exception):
        pass

    def start_gunicorn(options: dict[str, Any]) -> None:
        raise Started

    settings.TEND_CRISIS_LINES = lines
    settings.SITE_URL_CONFIGURED = True
    out, err = StringIO(), StringIO()
    command = serve.Command(stdout=out, stderr=err)
    monkeypatch.setattr(command, "_collect_static", lambda: None)
    monkeypatch.setattr(command, "_gunicorn", start_gunicorn)
    # The keys are checked against the database at start; that has tests of its own.
    monkeypatch.setattr(serve.preflight, "refuse_unless_ready", lambda: None)
    with pytest.raises(Started):
        command.handle(host="127.0.0.1", port=8450, workers=1, no_migrate=True, no_worker=True)
    assert ("TEND_CRISIS_LINES sets no crisis line" in err.getvalue()) is warned
    assert "Tend is running at" in out.getvalue()
