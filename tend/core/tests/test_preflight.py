"""Keys checked at start: ``tend serve``, ``tend worker`` and ``tend restore`` refuse a keyring
that does not open the stored data keys, saying what to put back, and never make a new key file
while data keys exist. Run as an operator would: real commands in subprocesses, each on a data
directory of its own (a copy of one prepared once), so the test database is never touched."""

from __future__ import annotations

import base64
import secrets
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tend.core import keyring_admin
from tend.core.tests.commands import migrate, operator_env, tend

MAKE_DATA_KEY = (
    "from tend.accounts.models import User\n"
    "from tend.core import vault\n"
    "user = User.objects.create_user('alice@example.test', 'calm-harbour-42')\n"
    "vault.data_key(user.pk, create=True)\n"
)


def base_env(data_dir: Path) -> dict[str, str]:
    # No Redis: with one, the start also checks the shared secret key (test_app_servers.py).
    return operator_env(data_dir, REDIS_URL="")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite data directory holding one person's wrapped data key."""
    data = tmp_path_factory.mktemp("prepared") / "data"
    env = base_env(data)
    migrate(env)
    tend(env, "shell", "--no-imports", "-v", "0", "-c", MAKE_DATA_KEY)
    assert (data / "kek.keys").exists()
    return data


@pytest.fixture
def data_dir(prepared: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(prepared, copy)
    return copy


def kek_id(data: Path) -> str:
    text = (data / "kek.keys").read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return lines[0].split(":")[0]


def other_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def missing(data: Path, env: dict[str, str]) -> None:
    (data / "kek.keys").unlink()


def empty(data: Path, env: dict[str, str]) -> None:
    (data / "kek.keys").write_text("")


def garbage(data: Path, env: dict[str, str]) -> None:
    (data / "kek.keys").write_text("this is not a key file\n")


def wrong_key_under_the_right_id(data: Path, env: dict[str, str]) -> None:
    (data / "kek.keys").write_text(f"{kek_id(data)}:{other_key()}\n")


def tend_kek_with_another_key(data: Path, env: dict[str, str]) -> None:
    env["TEND_KEK"] = f"kek-20260101-0badc0de:{other_key()}"


def tend_kek_wrong_under_the_right_id(data: Path, env: dict[str, str]) -> None:
    env["TEND_KEK"] = f"{kek_id(data)}:{other_key()}"


# Each way of spoiling the keyring, and what the refusal says about it.
BAD_KEYS: list[tuple[Callable[[Path, dict[str, str]], None], str]] = [
    (missing, "is missing, but the database holds data wrapped by"),
    (empty, "holds no key"),
    (garbage, "is not a 'key-id:base64-key' entry"),
    (wrong_key_under_the_right_id, "holds a different key under the right id"),
    (tend_kek_with_another_key, "which is not in the keyring"),
    (tend_kek_wrong_under_the_right_id, "holds a different key under the right id"),
]


def assert_refused(
    result: subprocess.CompletedProcess[str], data: Path, env: dict[str, str]
) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    # The message says what to do, and names where the keyring is read from.
    assert "Put back the keyring that was in use" in result.stderr
    assert "kek.keys" in result.stderr or "TEND_KEK" in result.stderr
    # It never echoes key material (the keys are 44 base64 characters).
    keyring = data / "kek.keys"
    entries = keyring.read_text().splitlines() if keyring.exists() else []
    for line in [*entries, env.get("TEND_KEK", "")]:
        secret = line.partition(":")[2].strip()
        if len(secret) > 8:
            assert secret not in result.stderr


@pytest.mark.parametrize(
    ("spoil", "reason"), BAD_KEYS, ids=[spoil.__name__ for spoil, _ in BAD_KEYS]
)
def test_the_worker_refuses_to_start_with_a_bad_keyring(
    data_dir: Path, spoil: Callable[[Path, dict[str, str]], None], reason: str
) -> None:
    env = base_env(data_dir)
    spoil(data_dir, env)
    result = tend(env, "worker", check=False)
    assert_refused(result, data_dir, env)
    assert reason in result.stderr
    if spoil is missing:
        assert not (data_dir / "kek.keys").exists()  # no new key file was made


def test_serve_refuses_to_start_with_a_wrong_key_under_the_right_id(data_dir: Path) -> None:
    env = base_env(data_dir)
    wrong_key_under_the_right_id(data_dir, env)
    result = tend(env, "serve", "--port", "8150", "--no-worker", check=False)
    assert_refused(result, data_dir, env)
    assert "Tend is running" not in result.stdout
    assert f"Key {kek_id(data_dir)} does not open the data keys" in result.stderr
    # Refused before migrate could change the schema of data this server cannot read.
    assert "Preparing the database" not in result.stdout


def test_serve_refuses_to_start_when_the_key_file_is_missing_and_makes_no_new_one(
    data_dir: Path,
) -> None:
    env = base_env(data_dir)
    missing(data_dir, env)
    result = tend(env, "serve", "--port", "8150", "--no-worker", check=False)
    assert result.returncode == 1
    assert "is missing, but the database holds data wrapped by" in result.stderr
    assert not (data_dir / "kek.keys").exists()


def test_keys_status_catches_a_wrong_key_under_the_right_id(data_dir: Path) -> None:
    env = base_env(data_dir)
    good = tend(env, "keys", "status")
    assert "Every key opens the data keys wrapped under it" in good.stdout
    wrong_key_under_the_right_id(data_dir, env)
    result = tend(env, "keys", "status", check=False)
    assert result.returncode == 1
    assert f"Key {kek_id(data_dir)} does not open the data keys" in result.stderr
    assert "different key under the id" not in result.stderr  # status registers nothing


def test_a_registered_fingerprint_catches_a_wrong_key_even_before_any_data_key(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    env = base_env(data)
    migrate(env)
    # The first start registers the keyring (keys status does not: it only reads).
    register = "from tend.core import preflight\npreflight.check_start()"
    tend(env, "shell", "--no-imports", "-v", "0", "-c", register)
    wrong_key_under_the_right_id(data, env)
    result = tend(env, "worker", check=False)
    assert_refused(result, data, env)
    assert "different key under the id" in result.stderr


def test_restore_refuses_a_backup_its_keyring_cannot_open_and_undoes_itself(
    data_dir: Path, tmp_path: Path
) -> None:
    env = base_env(data_dir)
    backup = tmp_path / "copy.sqlite3"
    tend(env, "backup", "--output", str(backup))
    fresh = tmp_path / "fresh"
    fresh_env = base_env(fresh)
    # A fresh data directory without the key file that was in use when the backup was made.
    result = tend(fresh_env, "restore", str(backup), "--yes", check=False)
    assert result.returncode == 1
    assert "is missing, but the database holds data wrapped by" in result.stderr
    assert "The restored database was removed again." in result.stderr
    assert not (fresh / "kek.keys").exists()
    assert not (fresh / "tend.sqlite3").exists()

    # With the key file carried over, the same restore succeeds.
    shutil.copy(data_dir / "kek.keys", fresh / "kek.keys")
    tend(fresh_env, "restore", str(backup), "--yes")
    assert "Every key opens" in tend(fresh_env, "keys", "status").stdout


def test_a_worker_on_an_unmigrated_database_says_to_migrate_and_makes_no_key(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    result = tend(base_env(data), "worker", check=False)
    assert result.returncode == 1
    assert "Run `tend migrate`" in result.stderr
    assert not (data / "kek.keys").exists()


# ---- In process: registrations across rotation and across servers ---------------------------


@pytest.fixture
def own_keyring(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from tend.core import vault

    monkeypatch.delenv("TEND_KEK", raising=False)
    settings.TEND_KEK_FILE = tmp_path / "keys" / "kek.keys"
    settings.REDIS_URL = ""
    vault._data_keys.clear()
    yield settings.TEND_KEK_FILE
    vault._data_keys.clear()


def test_after_a_rotation_the_new_keyring_starts_and_the_retired_key_is_forgotten(
    db: Any, alice: Any, own_keyring: Path
) -> None:
    from tend.core import preflight, vault
    from tend.core.models import KeyFingerprint

    vault.data_key(alice.pk, create=True)
    preflight.check_start()
    old = vault.keyring().current.id
    new = keyring_admin.kek_rotate().new_id
    preflight.check_start()
    assert not KeyFingerprint.objects.filter(name=f"kek:{old}").exists()
    assert KeyFingerprint.objects.filter(name=f"kek:{new}").exists()


def test_a_second_server_with_its_own_keyring_is_refused_before_any_data_key(
    db: Any, own_keyring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tend.core import preflight, vault

    preflight.check_start()  # the first server, on a fresh database
    first = vault.keyring().current.id
    monkeypatch.setenv("TEND_KEK", vault.new_kek().entry())
    with pytest.raises(preflight.PreflightError, match=f"registered key {first}"):
        preflight.check_start()
