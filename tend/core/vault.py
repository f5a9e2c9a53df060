"""The encryption vault: per-person data keys, a key-encryption key, and crypto-shredding.

How it fits together
--------------------
* Every person has one random 256-bit **data key** (``DataKey``). Free text they write is
  encrypted with it (AES-256-GCM) by ``EncryptedTextField`` (``tend/core/fields.py``); each
  ciphertext is bound, as associated data, to its table, column and row id, so a ciphertext
  copied to another row or field does not decrypt: it fails loudly with ``VaultError``.
* Data keys are stored **wrapped** (AES-256-GCM again, bound to their owner's id) by a
  **key-encryption key** (KEK) that never enters the database. The keyring comes from the
  ``TEND_KEK`` environment variable (``key-id:base64-key`` entries, comma-separated, newest
  first) or else from the file ``TEND_KEK_FILE`` (default ``$TEND_DATA_DIR/kek.keys``, one entry
  a line, newest first), which is generated with mode 0600 on first use. New data keys are
  wrapped by the newest KEK; each records the id of the KEK that wrapped it, so that
  ``tend keys rotate`` can re-wrap them all under a new KEK and then retire the old one.
* ``shred(user=...)`` destroys a person's data key (and forgets any unwrapped copy this process
  holds). After it, what they wrote cannot be decrypted with the keys that remain: the KEK only
  opens data keys, and every other person's data key is unrelated.

What crypto-shredding does and does not promise
-----------------------------------------------
The wrapped data keys live in the database. An old *database backup* therefore still holds the
wrapped data key of a person who has since deleted their account, next to their ciphertexts.
That backup becomes unreadable for them only once the KEK that wrapped their key is gone too:
run ``tend keys rotate`` after the deletion (the command retires the old KEK from the keyring
file) and destroy every other copy of the old keyring (backups of ``kek.keys``, old values of
``TEND_KEK``). Until then, whoever holds both an old database backup and the old KEK can read
the deleted account's content. For the same reason, back up the keyring separately from the
database: a backup that holds both is as readable as the live server. And, as the product says
plainly, whoever runs the server can read entries while serving them; encryption at rest
protects copies of the data, not a running server from its host.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from config.env import write_private_file
from tend.core.models import DataKey, KeyFingerprint

if TYPE_CHECKING:
    from tend.accounts.models import User

# Format version of a stored ciphertext and of a wrapped data key; the first byte of each, so
# that a later format can be introduced without guessing.
VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32
_KEK_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_WRAP_AAD = b"tend/data-key/v1\x00"
_FIELD_AAD = b"tend/field/v1\x00"
_FINGERPRINT_LABEL = b"tend/kek-fingerprint/v1"
_DERIVED_LABEL = b"tend/derived-key/v1\x00"


class VaultError(Exception):
    """Something could not be encrypted or decrypted. Never carries key material or content."""


# ---- The keyring (key-encryption keys) -----------------------------------------------------


@dataclass(frozen=True)
class Kek:
    """One key-encryption key. ``repr`` shows the id only, so a key never lands in a log."""

    id: str
    key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not _KEK_ID.match(self.id):
            raise VaultError("A key id may use only letters, digits, '.', '_' and '-'.")
        if len(self.key) != KEY_BYTES:
            raise VaultError(f"Key {self.id} is not a 256-bit key.")

    def entry(self) -> str:
        return f"{self.id}:{base64.b64encode(self.key).decode()}"


@dataclass(frozen=True)
class Keyring:
    """The KEKs in use, newest first. ``source`` is ``"env"`` (TEND_KEK) or ``"file"``."""

    keks: tuple[Kek, ...]
    source: str
    path: Path | None = None

    @property
    def current(self) -> Kek:
        return self.keks[0]

    def get(self, kek_id: str) -> Kek | None:
        return next((kek for kek in self.keks if kek.id == kek_id), None)


def fingerprint(key: bytes, *, label: bytes) -> str:
    """An HMAC of a fixed label under the key: tells two keys apart, reveals neither.

    The KEKs' fingerprints and the secret key's (``tend/core/preflight.py``) are made alike.
    """
    return hmac.new(key, label, hashlib.sha256).hexdigest()[:32]


def kek_fingerprint(kek: Kek) -> str:
    return fingerprint(kek.key, label=_FINGERPRINT_LABEL)


def new_kek() -> Kek:
    """A fresh random KEK with a dated, random id (ids say nothing about the key itself)."""
    kek_id = f"kek-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"
    return Kek(id=kek_id, key=AESGCM.generate_key(bit_length=256))


def parse_entry(entry: str, *, where: str) -> Kek:
    """Parse ``key-id:base64-key``. Errors name the place, never the text (it may be a key)."""
    kek_id, sep, encoded = entry.strip().partition(":")
    if not sep:
        raise VaultError(f"{where} is not a 'key-id:base64-key' entry.")
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        try:
            key = base64.urlsafe_b64decode(encoded.strip())
        except (binascii.Error, ValueError):
            raise VaultError(f"{where} does not hold a base64 key.") from None
    return Kek(id=kek_id.strip(), key=key)


def parse_keyring(entries: list[str], *, where: str) -> tuple[Kek, ...]:
    keks = tuple(
        parse_entry(entry, where=f"entry {number} of {where}")
        for number, entry in enumerate(entries, start=1)
    )
    if not keks:
        raise VaultError(f"{where} holds no key.")
    if len({kek.id for kek in keks}) != len(keks):
        raise VaultError(f"{where} holds two keys with the same id.")
    return keks


def _file_entries(text: str) -> list[str]:
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def write_keyring_file(path: Path, keks: tuple[Kek, ...]) -> None:
    header = (
        "# Tend key-encryption keys, newest first (key-id:base64-key).\n"
        "# Keep this file out of database backups: a backup holding both is readable.\n"
    )
    write_private_file(path, header + "".join(kek.entry() + "\n" for kek in keks))


def _create_keyring_file(path: Path) -> None:
    """Create the keyring file unless another process just did; never overwrite one."""
    staging = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    write_keyring_file(staging, (new_kek(),))
    try:
        # A hard link is an atomic "create if absent": of two processes starting at once, one
        # wins and the other reads the winner's key instead of wrapping with its own.
        os.link(staging, path)
    except FileExistsError:
        pass
    finally:
        staging.unlink(missing_ok=True)


def _kek_ids_in_use() -> list[str]:
    """Ids of the KEKs the database has seen (wrapping data keys, or registered at a start).

    An unmigrated database knows none. Only asked when the keyring file is missing, which is
    rare, so the look-up costs nothing on the request path.
    """
    try:
        with transaction.atomic():
            wrapping = set(DataKey.objects.values_list("kek_id", flat=True).distinct())
            registered = {
                name.removeprefix("kek:")
                for name in KeyFingerprint.objects.filter(name__startswith="kek:").values_list(
                    "name", flat=True
                )
            }
    except DatabaseError:
        return []
    return sorted(wrapping | registered)


def _refuse_missing_keyring_file(path: Path) -> None:
    in_use = _kek_ids_in_use()
    if in_use:
        # A new key would split the keyring: what was stored under the lost key stays unreadable
        # and new data would be wrapped by a key no backup knows about.
        raise VaultError(
            f"The key file {path} is missing, but the database holds data wrapped by "
            f"{', '.join(in_use)}. Tend will not make a new key, which could not open it. Put "
            "the key file back from your safe copy (or set TEND_KEK to its entries), then start "
            "again."
        )


_keyring_lock = threading.Lock()
_keyring_cache: tuple[tuple[object, ...], Keyring] | None = None


def keyring() -> Keyring:
    """The current keyring, re-read whenever TEND_KEK or the keyring file changes."""
    global _keyring_cache
    env = os.environ.get("TEND_KEK", "").strip()
    path = Path(settings.TEND_KEK_FILE)
    if not env and not path.exists():
        _refuse_missing_keyring_file(path)
    with _keyring_lock:
        if env:
            signature: tuple[object, ...] = ("env", env)
        else:
            if not path.exists():
                _create_keyring_file(path)
            stat = path.stat()
            signature = ("file", str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if _keyring_cache is not None and _keyring_cache[0] == signature:
            return _keyring_cache[1]
        if env:
            entries = [item for item in env.split(",") if item.strip()]
            ring = Keyring(parse_keyring(entries, where="TEND_KEK"), source="env")
        else:
            text = path.read_text()
            ring = Keyring(parse_keyring(_file_entries(text), where=str(path)), "file", path)
        _keyring_cache = (signature, ring)
        return ring


def _forget_keyring() -> None:
    global _keyring_cache
    with _keyring_lock:
        _keyring_cache = None


# ---- Data keys -----------------------------------------------------------------------------


class _DataKeyCache:
    """A small LRU of unwrapped data keys, keyed by (user id, wrapped key).

    Keying by the wrapped bytes means a cached key is used only while the database still holds
    that very wrapped key; once ``shred`` deletes the row, no process finds it any more.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._keys: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user_id: str, wrapped: bytes) -> bytes | None:
        with self._lock:
            key = self._keys.get((user_id, wrapped))
            if key is not None:
                self._keys.move_to_end((user_id, wrapped))
            return key

    def put(self, user_id: str, wrapped: bytes, key: bytes) -> None:
        with self._lock:
            self._keys[(user_id, wrapped)] = key
            self._keys.move_to_end((user_id, wrapped))
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)

    def purge(self, user_id: str) -> None:
        with self._lock:
            for cached in [cached for cached in self._keys if cached[0] == user_id]:
                del self._keys[cached]

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()

    def user_ids(self) -> set[str]:
        with self._lock:
            return {user_id for user_id, _ in self._keys}


_data_keys = _DataKeyCache()


def _wrap(kek: Kek, data_key: bytes, user_id: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    aad = _WRAP_AAD + user_id.encode()
    return VERSION + nonce + AESGCM(kek.key).encrypt(nonce, data_key, aad)


def _unwrap(kek: Kek, wrapped: bytes, user_id: str) -> bytes:
    if wrapped[:1] != VERSION:
        raise VaultError("A data key is stored in an unknown format.")
    nonce, sealed = wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :]
    try:
        return AESGCM(kek.key).decrypt(nonce, sealed, _WRAP_AAD + user_id.encode())
    except InvalidTag:
        raise VaultError(
            f"The data key of person {user_id} does not open with key {kek.id}: it belongs "
            "to another person or the keyring holds a different key under that id."
        ) from None


def _kek_for(kek_id: str) -> Kek:
    kek = keyring().get(kek_id)
    if kek is None:
        raise VaultError(
            f"A data key is wrapped by key {kek_id}, which is not in the keyring. Restore that "
            "key into TEND_KEK or the keyring file (the newest key stays first)."
        )
    return kek


def _open_data_key(row: DataKey) -> bytes:
    user_id = str(row.user_id)
    wrapped = bytes(row.wrapped)
    key = _data_keys.get(user_id, wrapped)
    if key is None:
        key = _unwrap(_kek_for(row.kek_id), wrapped, user_id)
        _data_keys.put(user_id, wrapped, key)
    return key


def data_key_row(user_id: uuid.UUID | str, *, create: bool) -> DataKey | None:
    """The person's stored (wrapped) data key row; created on first use when ``create`` is set."""
    return _data_key_row(str(user_id), create=create)


def _data_key_row(user_id: str, *, create: bool) -> DataKey | None:
    row = DataKey.objects.filter(user_id=user_id).first()
    if row is not None or not create:
        return row
    kek = keyring().current
    wrapped = _wrap(kek, AESGCM.generate_key(bit_length=256), user_id)
    try:
        # The savepoint lets a concurrent creator win: then both use the key that was stored.
        with transaction.atomic():
            return DataKey.objects.create(user_id=user_id, wrapped=wrapped, kek_id=kek.id)
    except IntegrityError:
        return DataKey.objects.get(user_id=user_id)


def data_key(
    user_id: uuid.UUID | str, *, create: bool = False, row: DataKey | None = None
) -> bytes:
    """The person's unwrapped data key; created on first use when ``create`` is set.

    ``row`` may pass a DataKey already loaded (``select_related("author__data_key")``), which
    saves the query.
    """
    if row is None:
        row = _data_key_row(str(user_id), create=create)
    if row is None:
        raise VaultError(
            f"Person {user_id} has no data key: their content was shredded and cannot be decrypted."
        )
    return _open_data_key(row)


def derived_key(user: User, *, purpose: str) -> bytes:
    """A key for one purpose (an HMAC key, say), derived from the person's data key.

    It travels with the data (the wrapped data key is in the database, the KEK with the
    operator), is the same on every app server, and is shredded with the data key.
    """
    reverse = DataKey._meta.get_field("user").remote_field
    cached = reverse.get_cached_value(user) if reverse.is_cached(user) else None
    row = cached if isinstance(cached, DataKey) else None
    if row is None:
        # Kept on the person, as EncryptedTextField does: the moment saved next reuses the row.
        row = _data_key_row(str(user.pk), create=True)
        reverse.set_cached_value(user, row)
    key = data_key(user.pk, row=row)
    return hmac.new(key, _DERIVED_LABEL + purpose.encode(), hashlib.sha256).digest()


def field_context(*, table: str, column: str, pk: object) -> bytes:
    """The associated data that binds a ciphertext to one row and field."""
    return _FIELD_AAD + f"{table}\x00{column}\x00{pk}".encode()


def encrypt(plaintext: str, *, key: bytes, context: bytes) -> bytes:
    """``VERSION + nonce + AES-GCM(plaintext)``; the empty string stays empty bytes."""
    return seal(plaintext.encode(), key=key, context=context)


def decrypt(blob: bytes, *, key: bytes, context: bytes) -> str:
    """The plaintext, or ``VaultError`` if the ciphertext was not made for this key and place."""
    return unseal(blob, key=key, context=context).decode()


def seal(data: bytes, *, key: bytes, context: bytes) -> bytes:
    """``encrypt`` for bytes: ``VERSION + nonce + AES-GCM(data)``; no bytes stay no bytes."""
    if data == b"":
        return b""
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, data, context)


def unseal(blob: bytes, *, key: bytes, context: bytes) -> bytes:
    """``decrypt`` for bytes; ``VaultError`` if ``blob`` was not sealed for this key and place."""
    if blob == b"":
        return b""
    if blob[:1] != VERSION or len(blob) < 1 + NONCE_BYTES + 16:
        raise VaultError("The stored value is not a ciphertext this vault knows.")
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, sealed, context)
    except InvalidTag:
        raise VaultError(
            "The stored value does not decrypt here: it was written for another row, field or "
            "person, or it was altered."
        ) from None


# ---- Crypto-shredding ----------------------------------------------------------------------


def shred(*, user: User) -> None:
    """Destroy the person's data key, so that nothing they wrote can be decrypted again.

    Call it *before* deleting their rows (account deletion does: shred, then delete the user),
    so that a crash in between leaves unreadable ciphertext, never readable leftovers.
    """
    user_id = str(user.pk)
    with transaction.atomic():
        DataKey.objects.filter(user_id=user_id).delete()
    _data_keys.purge(user_id)
    # Inside a caller's transaction, another thread may cache the key again before the delete
    # commits; purge once more when it does (the entry could not be reached, but need not stay).
    transaction.on_commit(lambda: _data_keys.purge(user_id))
    # A DataKey loaded through the user object (``user.data_key``) must not outlive the shred.
    reverse = DataKey._meta.get_field("user").remote_field
    if reverse.is_cached(user):
        reverse.delete_cached_value(user)
