"""``tend restore PATH --yes``: put a backup made by ``tend backup`` back in place."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from tend.core import preflight
from tend.core.management.commands.backup import (
    database,
    file_stamp,
    is_postgres,
    is_sqlite,
    key_location,
    pg_environment,
    pg_tool,
    private_file,
    sqlite_copy,
)


def check_sqlite_backup(path: Path) -> None:
    """Refuse anything that is not an intact SQLite database holding a Tend schema."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (verdict,) = conn.execute("PRAGMA quick_check").fetchone()
            has_schema = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is not a SQLite backup ({error}).") from error
    if verdict != "ok":
        raise CommandError(f"{path} is damaged (SQLite integrity check: {verdict}).")
    if not has_schema:
        raise CommandError(f"{path} is a SQLite file, but not a Tend backup.")


class Command(BaseCommand):
    # A backup or a restore must work even when some check fails (that may be why it is needed).
    requires_system_checks: list[str] = []
    help = (
        "Replace Tend's database with a backup made by `tend backup`. Everything written since "
        "that backup is lost, so this asks for --yes. Stop the server and the worker first. "
        "SQLite: the current database is first saved beside the backups, then replaced. "
        "PostgreSQL: `pg_restore --clean --if-exists` in one transaction. The key file must be "
        "the one that was in use when the backup was made."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to restore")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="really replace the current database (required)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"].expanduser().resolve()
        if not path.is_file():
            raise CommandError(f"There is no backup file at {path}.")
        if not (is_sqlite() or is_postgres()):
            raise CommandError(f"Cannot restore into a {database()['ENGINE']} database.")
        if is_sqlite():
            check_sqlite_backup(path)
        if not options["yes"]:
            raise CommandError(
                f"Restoring {path} replaces the current database, and everything written since "
                "the backup is lost. Stop the server (`tend serve`) and the worker first, then "
                "run the same command again with --yes."
            )

        # Our own connection must not hold the database open while it is replaced.
        connections.close_all()
        if is_sqlite():
            previous = self._restore_sqlite(path)
        else:
            previous = None
            self._restore_postgres(path)
        self._check_keys(previous)
        self.stdout.write(self.style.SUCCESS(f"Restored {path}. You can start Tend again."))
        self.stdout.write(
            "Encrypted data is readable only with the key that was in use when the backup was "
            f"made ({key_location()})."
        )

    def _check_keys(self, previous: Path | None) -> None:
        """Refuse a restore whose data keys this keyring cannot open; on SQLite, undo it."""
        try:
            preflight.check_keys(register=True)
        except preflight.PreflightError as error:
            connections.close_all()
            if is_sqlite():
                live = Path(database()["NAME"])
                if previous is not None:
                    sqlite_copy(previous, live)
                    with sqlite3.connect(live) as conn:
                        conn.execute("PRAGMA journal_mode=WAL")
                    undone = f"The database as it was before is back in place ({previous})."
                else:
                    for leftover in live.parent.glob(live.name + "*"):
                        leftover.unlink()
                    undone = "The restored database was removed again."
            else:
                undone = (
                    "The backup was restored into PostgreSQL, but Tend will refuse to start "
                    "until the keyring matches."
                )
            raise CommandError(f"{error}\n{undone}") from None
        if preflight.is_shared_deployment():
            preflight.secret_key_register()

    def _restore_sqlite(self, path: Path) -> Path | None:
        live = Path(database()["NAME"])
        safety: Path | None = None
        if live.exists():
            # Keep what is being replaced: a restore of the wrong file can then be undone.
            safety = (
                Path(settings.DATA_DIR) / "backups" / f"tend-before-restore-{file_stamp()}.sqlite3"
            )
            private_file(safety)
            sqlite_copy(live, safety)
            self.stdout.write(f"The database as it was is saved in {safety}.")
        # Copying INTO the live database with the backup API (rather than moving files) keeps
        # its -wal and -shm files consistent, and happens under SQLite's own locks.
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(live, timeout=20)
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
            src.close()
        return safety

    def _restore_postgres(self, path: Path) -> None:
        result = subprocess.run(  # noqa: S603
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(database()["NAME"]),
                str(path),
            ],
            env=pg_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
