"""Checks run before Tend starts (``tend serve``, ``tend worker``, ``tend restore``).

A server that cannot open the data keys it holds would start, then answer 500 on every read of
an existing account; two app servers with different keys would each work on their own and fail
on the other's sessions and data. Both are cheaper to refuse at start, with a message that says
what to put back where, than to find in a log.

- ``check_keys`` loads the keyring (never making a new key file while the database holds data
  keys), compares each key with the fingerprint the database registered for its id, and
  unwraps a sample of the stored data keys with it. Then it registers this keyring's keys, so
  that a second server with another keyring is refused even before any data key exists.
- ``check_secret_key`` (shared deployments: PostgreSQL or Redis) registers the fingerprint of
  ``SECRET_KEY`` on first start and refuses a server whose key differs, unless the registered
  one is among ``TEND_SECRET_KEY_FALLBACKS`` (a deliberate rotation).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from config.env import read_secret
from tend.core import keyring_admin, vault
from tend.core.models import DataKey, KeyFingerprint

SECRET_KEY_LABEL = b"tend/secret-key-fingerprint/v1"


class PreflightError(Exception):
    """Tend must not start; the message says why and what the operator should do."""


class UnreadableDatabase(PreflightError):
    """The database could not be read to check the keys (most often: not migrated yet)."""


def keyring_location() -> str:
    if os.environ.get("TEND_KEK", "").strip():
        return "the TEND_KEK environment variable"
    return f"the key file {settings.TEND_KEK_FILE} (TEND_KEK_FILE)"


def _put_back() -> str:
    return (
        f"The keyring is read from {keyring_location()}. Put back the keyring that was in use "
        "when this data was written (your safe copy of the key file, or the same TEND_KEK as "
        "the other servers), then start again. `tend keys status` shows which key ids the "
        "database needs."
    )


def load_keyring() -> vault.Keyring:
    try:
        return vault.keyring()
    except vault.VaultError as error:
        raise PreflightError(f"Tend cannot use its keyring: {error}\n{_put_back()}") from None
    except OSError as error:
        raise PreflightError(
            f"Tend cannot read its keyring ({error.strerror}).\n{_put_back()}"
        ) from None


def check_keys(*, register: bool = True) -> vault.Keyring:
    """Refuse a keyring that does not open the stored data keys; then register its keys."""
    ring = load_keyring()
    try:
        problems = keyring_admin.kek_check(ring)
    except DatabaseError as error:
        raise UnreadableDatabase(_unreadable_database(error)) from None
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise PreflightError(
            "Tend will not start: the keyring does not open the data in its database.\n"
            f"{lines}\n{_put_back()}"
        )
    if register:
        keyring_admin.kek_register(ring)
    return ring


def secret_fingerprint(secret: str) -> str:
    return vault.fingerprint(secret.encode(), label=SECRET_KEY_LABEL)


def is_shared_deployment() -> bool:
    """Several app servers can share this database (PostgreSQL) or queue and cache (Redis)."""
    return connection.vendor != "sqlite" or bool(settings.REDIS_URL)


def check_secret_key() -> None:
    """On a shared deployment, refuse a SECRET_KEY other than the one registered first."""
    if not is_shared_deployment():
        return
    mine = secret_fingerprint(settings.SECRET_KEY)
    row, created = KeyFingerprint.objects.get_or_create(
        name="secret_key", defaults={"fingerprint": mine, "registered_by": keyring_admin.host()}
    )
    if created or row.fingerprint == mine:
        return
    fallbacks = {secret_fingerprint(key) for key in settings.SECRET_KEY_FALLBACKS}
    if row.fingerprint in fallbacks:
        # A deliberate rotation: the old key is kept as a fallback, the new one becomes the key.
        KeyFingerprint.objects.filter(name="secret_key", fingerprint=row.fingerprint).update(
            fingerprint=mine, registered_by=keyring_admin.host(), registered_at=timezone.now()
        )
        return
    if read_secret("TEND_SECRET_KEY") is None:
        source = (
            f"this server generated its own in {settings.DATA_DIR / 'secret_key'} because "
            "TEND_SECRET_KEY is unset"
        )
    else:
        source = "this server's TEND_SECRET_KEY differs"
    registered_by = row.registered_by or "another server"
    raise PreflightError(
        "Tend will not start: every app server and worker on one database must share one "
        f"secret key, and {source} from the one registered by {registered_by} "
        f"on {row.registered_at:%Y-%m-%d %H:%M} UTC.\n"
        "Set TEND_SECRET_KEY (or TEND_SECRET_KEY_FILE) to the same value on every server, and "
        "TEND_KEK (or TEND_KEK_FILE) to the same keyring. To replace the secret key on purpose, "
        "put the old one in TEND_SECRET_KEY_FALLBACKS on the first server you restart, or run "
        "`tend keys register-secret` once every server has the new key."
    )


def secret_key_register() -> None:
    """Record this server's SECRET_KEY as the one every server must share (a deliberate change).

    ``tend keys register-secret`` calls it, and so does ``tend restore``: every server is stopped
    for a restore, and the restored database must not insist on the key of the machine it was
    backed up on (only the keyring has to travel with a backup).
    """
    KeyFingerprint.objects.update_or_create(
        name="secret_key",
        defaults={
            "fingerprint": secret_fingerprint(settings.SECRET_KEY),
            "registered_by": keyring_admin.host(),
            "registered_at": timezone.now(),
        },
    )


def check_start() -> None:
    """Everything ``tend serve`` and ``tend worker`` check before they start.

    One server checks and registers at a time: two servers starting at once on a fresh database,
    each with a keyring of its own, would otherwise both find nothing registered and both start.
    """
    try:
        with transaction.atomic():
            KeyFingerprint.objects.get_or_create(name="preflight", defaults={"fingerprint": "-"})
            KeyFingerprint.objects.select_for_update().get(name="preflight")
            check_keys(register=True)
            check_secret_key()
    except DatabaseError as error:
        raise PreflightError(_unreadable_database(error)) from None


def _unreadable_database(error: DatabaseError) -> str:
    return (
        f"Tend cannot read its database to check the keys ({type(error).__name__}). Run "
        "`tend migrate` (or start `tend serve`, which migrates) first."
    )


def refuse_before_migrating() -> None:
    """The keys alone, before ``migrate`` changes anything: a wrong keyring leaves the schema be.

    A database that has no key tables yet (a first start) has nothing to check; one whose tables
    cannot be read this way is checked in full after migrating, by ``refuse_unless_ready``.
    """
    from django.core.management.base import CommandError

    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:
        return
    if not {DataKey._meta.db_table, KeyFingerprint._meta.db_table} <= tables:
        return
    try:
        check_keys(register=False)
    except UnreadableDatabase:
        return
    except PreflightError as error:
        raise CommandError(str(error)) from None


def refuse_unless_ready() -> None:
    """``check_start`` for a management command: a refusal becomes its error and exit status 1."""
    from django.core.management.base import CommandError

    try:
        check_start()
    except PreflightError as error:
        raise CommandError(str(error)) from None
