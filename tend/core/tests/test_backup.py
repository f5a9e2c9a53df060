"""``tend backup`` and ``tend restore``, run as an operator would: in a subprocess, on a data
directory of their own, so the test database is never touched."""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tend.core.tests.commands import migrate, operator_env, tend

SHOW_ACTIONS = (
    "from tend.core.models import AuditEvent;"
    "print(','.join(sorted(AuditEvent.objects.values_list('action', flat=True))))"
)


def shell(env: dict[str, str], code: str) -> str:
    return tend(env, "shell", "--no-imports", "-v", "0", "-c", code).stdout.strip()


def set_actions(env: dict[str, str], *actions: str) -> None:
    shell(
        env,
        "from tend.core.models import AuditEvent; AuditEvent.objects.all().delete();"
        + "".join(f"AuditEvent.objects.create(action={a!r});" for a in actions),
    )


def base_env(data_dir: Path) -> dict[str, str]:
    return operator_env(data_dir, TEND_TASKS_IMMEDIATE="1")


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    env = base_env(tmp_path / "data")
    migrate(env)
    return env


@pytest.fixture
def postgres_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL path runs when DATABASE_URL names a PostgreSQL server")
    import psycopg

    name = f"tend_backup_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = base_env(tmp_path / "data")
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        migrate(env)
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def round_trip(env: dict[str, str], backup: Path) -> None:
    set_actions(env, "before-1", "before-2")
    made = tend(env, "backup", "--output", str(backup))
    assert backup.exists()
    assert "does NOT contain the encryption key" in made.stdout

    set_actions(env, "after")
    assert shell(env, SHOW_ACTIONS) == "after"

    tend(env, "restore", str(backup), "--yes")
    assert shell(env, SHOW_ACTIONS) == "before-1,before-2"


def test_a_sqlite_backup_brings_the_original_data_back(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    round_trip(sqlite_env, tmp_path / "copy.sqlite3")


def test_a_postgres_backup_brings_the_original_data_back(
    postgres_env: dict[str, str], tmp_path: Path
) -> None:
    round_trip(postgres_env, tmp_path / "copy.pgdump")


def test_a_backup_lands_in_the_data_directory_readable_by_its_owner_only(
    sqlite_env: dict[str, str],
) -> None:
    result = tend(sqlite_env, "backup")
    backups = list((Path(sqlite_env["TEND_DATA_DIR"]) / "backups").glob("tend-*.sqlite3"))
    assert len(backups) == 1
    assert str(backups[0]) in result.stdout
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert "kek.keys" in result.stdout  # it names the key file to keep separately


def test_a_backup_never_overwrites_an_existing_file(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    existing = tmp_path / "precious.txt"
    existing.write_text("keep me")
    result = tend(sqlite_env, "backup", "--output", str(existing), check=False)
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert existing.read_text() == "keep me"


def test_restore_changes_nothing_without_yes(sqlite_env: dict[str, str], tmp_path: Path) -> None:
    backup = tmp_path / "copy.sqlite3"
    set_actions(sqlite_env, "old")
    tend(sqlite_env, "backup", "--output", str(backup))
    set_actions(sqlite_env, "new")

    result = tend(sqlite_env, "restore", str(backup), check=False)

    assert result.returncode != 0
    assert "--yes" in result.stderr and "Stop the server" in result.stderr
    assert shell(sqlite_env, SHOW_ACTIONS) == "new"


def test_restore_refuses_a_file_that_is_not_a_backup(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    set_actions(sqlite_env, "kept")

    result = tend(sqlite_env, "restore", str(bogus), "--yes", check=False)

    assert result.returncode != 0
    assert "not a SQLite backup" in result.stderr
    assert shell(sqlite_env, SHOW_ACTIONS) == "kept"


def test_a_sqlite_restore_keeps_the_replaced_database_so_it_can_be_undone(
    sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    backup = tmp_path / "copy.sqlite3"
    tend(sqlite_env, "backup", "--output", str(backup))
    set_actions(sqlite_env, "written-after-the-backup")

    result = tend(sqlite_env, "restore", str(backup), "--yes")

    saved = list((Path(sqlite_env["TEND_DATA_DIR"]) / "backups").glob("tend-before-restore-*"))
    assert len(saved) == 1 and str(saved[0]) in result.stdout
    tend(sqlite_env, "restore", str(saved[0]), "--yes")
    assert shell(sqlite_env, SHOW_ACTIONS) == "written-after-the-backup"


def test_file_names_are_stamped_to_the_microsecond_so_two_in_one_second_differ() -> None:
    import datetime as dt

    import time_machine

    from tend.core.management.commands.backup import file_stamp

    with time_machine.travel(dt.datetime(2026, 11, 27, 16, 20, 29, 123456, tzinfo=dt.UTC)):
        first = file_stamp()
    with time_machine.travel(dt.datetime(2026, 11, 27, 16, 20, 29, 654321, tzinfo=dt.UTC)):
        second = file_stamp()
    assert first == "20261127T162029.123456Z"
    assert first != second
