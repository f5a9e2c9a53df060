"""``tend backup``: a consistent copy of the database, taken while Tend keeps running."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

KEY_WARNING = (
    "This backup does NOT contain the encryption key ({kek}). Keep a copy of the key somewhere "
    "else, safely: without it nobody (not even you) can read the backup's encrypted data."
)


def key_location() -> str:
    if os.environ.get("TEND_KEK"):
        return "the TEND_KEK environment variable"
    return f"the key file {settings.TEND_KEK_FILE}"


def database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def is_sqlite() -> bool:
    return str(database()["ENGINE"]).endswith("sqlite3")


def is_postgres() -> bool:
    return str(database()["ENGINE"]).endswith("postgresql")


def pg_environment() -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore, so the password never appears in ``ps``."""
    db = database()
    env = dict(os.environ)
    for variable, key in (
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    # A managed server usually requires TLS (?sslmode=require in DATABASE_URL).
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise CommandError(
            f"{name} was not found. Install the PostgreSQL client tools (Debian: "
            "`apt-get install postgresql-client`) in the version of your server or newer."
        )
    return found


def file_stamp() -> str:
    """A UTC time for a file name, to the microsecond: two files made in one second differ."""
    return timezone.now().strftime("%Y%m%dT%H%M%S.%fZ")


def private_file(path: Path) -> None:
    """Create ``path`` empty, readable by its owner only, before anything is written into it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page with SQLite's online backup API.

    Unlike copying the file, this is consistent while other processes write (WAL included): the
    copy is one committed state of the database.
    """
    # Open the source read-only so that a mistyped path never creates an empty database.
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        # A backup is one self-contained file: no -wal or -shm beside it.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


class Command(BaseCommand):
    # A backup or a restore must work even when some check fails (that may be why it is needed).
    requires_system_checks: list[str] = []
    help = (
        "Back up Tend's database while it runs. SQLite: a consistent copy (SQLite's online "
        "backup API) into $TEND_DATA_DIR/backups/. PostgreSQL: `pg_dump -Fc`. The backup file "
        "is readable by its owner only. The key file is NOT included: keep it separately, since "
        "without it the backup's encrypted data cannot be read. Restore with `tend restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            default=None,
            help="where to write the backup (default: a timestamped file in "
            "$TEND_DATA_DIR/backups/); the file must not exist yet",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = file_stamp()
        if is_sqlite():
            suffix = "sqlite3"
        elif is_postgres():
            suffix = "pgdump"
        else:
            raise CommandError(f"Cannot back up a {database()['ENGINE']} database.")
        output: Path = options["output"] or (
            Path(settings.DATA_DIR) / "backups" / f"tend-{stamp}.{suffix}"
        )
        output = output.expanduser().resolve()
        try:
            private_file(output)
        except FileExistsError as error:
            raise CommandError(f"{output} already exists; choose another --output.") from error

        try:
            if is_sqlite():
                source = Path(database()["NAME"])
                if not source.exists():
                    raise CommandError(
                        f"There is no database at {source} yet (run `tend migrate`)."
                    )
                sqlite_copy(source, output)
            else:
                self._pg_dump(output)
        except BaseException:
            output.unlink(missing_ok=True)
            raise

        size = output.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output} ({size:,} bytes)."))
        self.stdout.write(self.style.WARNING(KEY_WARNING.format(kek=key_location())))

    def _pg_dump(self, output: Path) -> None:
        # The arguments are our own; the connection details travel in the environment.
        result = subprocess.run(  # noqa: S603
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(output)],
            env=pg_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
