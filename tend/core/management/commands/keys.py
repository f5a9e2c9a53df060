"""``tend keys``: rotate the key-encryption key, or show which key wraps how many data keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tend.core import keyring_admin, preflight, vault


class Command(BaseCommand):
    help = (
        "Manage the key-encryption keys (KEKs) that wrap every person's data key. "
        "`keys status` shows the current key id and how many data keys each key wraps; "
        "`keys rotate` re-wraps every data key under a new KEK and retires the old ones. "
        "No key material is ever printed."
    )
    # Key management must work even when an unrelated system check fails.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{status,rotate,register-secret}"
        )
        sub.add_parser(
            "status",
            help="show the current key id and how many data keys are wrapped under each id, "
            "and check that each key opens them (exit status 1 when one does not)",
        )
        sub.add_parser(
            "register-secret",
            help="record this server's secret key as the one every app server on this database "
            "must share (after replacing TEND_SECRET_KEY on every server on purpose)",
        )
        rotate = sub.add_parser(
            "rotate",
            help=(
                "generate a new KEK, re-wrap every data key under it (content is untouched) "
                "and retire the old KEKs from the keyring file"
            ),
            description=(
                "The new key is written to the keyring file first, old keys are kept until "
                "every data key is re-wrapped (in batches, one transaction each), then retired. "
                "Running it again after an interruption finishes the job. Needs the keyring in "
                "a file (TEND_KEK_FILE), not in the TEND_KEK environment variable."
            ),
        )
        rotate.add_argument(
            "--new-key-file",
            type=Path,
            help="take the new KEK from this file (a 'key-id:base64-key' line) instead of "
            "generating one",
        )
        rotate.add_argument(
            "--batch-size", type=int, default=500, help="data keys per transaction (default 500)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "rotate":
                self._rotate(options)
            elif options["action"] == "register-secret":
                preflight.secret_key_register()
                self.stdout.write("Registered this server's secret key for every app server.")
            else:
                self._status()
        except vault.VaultError as error:
            raise CommandError(str(error)) from None

    def _rotate(self, options: dict[str, Any]) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        new = None
        if options["new_key_file"] is not None:
            new = _read_new_key(options["new_key_file"])
        result = keyring_admin.kek_rotate(new=new, batch_size=options["batch_size"])
        self.stdout.write(
            self.style.SUCCESS(f"Re-wrapped {result.rewrapped} data keys under key {result.new_id}")
            + f" in {result.batches} batches."
        )
        if result.retired:
            self.stdout.write(
                f"Retired from {result.path}: {', '.join(result.retired)}. Destroy every "
                "other copy of the old keyring (backups of that file) so that old database "
                "backups become unreadable."
            )
        self.stdout.write(f"Keep a safe copy of {result.path}, apart from database backups.")

    def _status(self) -> None:
        ring, counts = keyring_admin.kek_status()
        where = "TEND_KEK environment variable" if ring.source == "env" else str(ring.path)
        self.stdout.write(f"Current key: {ring.current.id} (from {where})")
        for kek in ring.keks:
            self.stdout.write(f"  {kek.id}: {counts.get(kek.id, 0)} data keys")
        for kek_id in sorted(set(counts) - {kek.id for kek in ring.keks}):
            self.stdout.write(
                self.style.ERROR(f"  {kek_id}: {counts[kek_id]} data keys, key NOT in keyring")
            )
        problems = keyring_admin.kek_check(ring)
        if problems:
            raise CommandError(
                "The keyring does not open the data in the database:\n"
                + "\n".join(f"  - {problem}" for problem in problems)
            )
        self.stdout.write(self.style.SUCCESS("Every key opens the data keys wrapped under it."))


def _read_new_key(path: Path) -> vault.Kek:
    try:
        lines = [
            line.strip()
            for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    if len(lines) != 1:
        raise CommandError(f"{path} must hold exactly one 'key-id:base64-key' line.")
    return vault.parse_entry(lines[0], where=str(path))
