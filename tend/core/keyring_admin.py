"""Rotating the key-encryption keys, and checking a keyring against what the database holds.

The ``tend keys`` command (rotate, status, check) and the preflight at start-up use these; the
vault itself (``vault.py``) only reads the keyring and opens data keys. See ``vault.py`` for how
the keys fit together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction

from tend.core.models import DataKey, KeyFingerprint
from tend.core.vault import (
    Kek,
    Keyring,
    VaultError,
    _forget_keyring,
    _unwrap,
    _wrap,
    kek_fingerprint,
    keyring,
    new_kek,
    write_keyring_file,
)

# ---- Rotation and status -------------------------------------------------------------------


@dataclass(frozen=True)
class Rotation:
    new_id: str
    rewrapped: int
    batches: int
    retired: tuple[str, ...]
    path: Path


def _rewrap_all(ring: Keyring, new: Kek, batch_size: int) -> tuple[int, int]:
    rewrapped = batches = 0
    while True:
        # One transaction per batch: a failure loses at most one batch's work, and every row
        # stays readable because the old keys are still in the keyring file until the end.
        with transaction.atomic():
            rows = list(
                DataKey.objects.select_for_update()
                .exclude(kek_id=new.id)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return rewrapped, batches
            for row in rows:
                old = ring.get(row.kek_id)
                if old is None:
                    raise VaultError(f"Key {row.kek_id} is not in the keyring.")
                user_id = str(row.user_id)
                row.wrapped = _wrap(new, _unwrap(old, bytes(row.wrapped), user_id), user_id)
                row.kek_id = new.id
            DataKey.objects.bulk_update(rows, ["wrapped", "kek_id"])
            rewrapped += len(rows)
            batches += 1


def kek_rotate(*, new: Kek | None = None, batch_size: int = 500) -> Rotation:
    """Re-wrap every data key under a new KEK, then retire the old KEKs from the keyring file.

    Content is untouched: only the wrapped data keys change. The new key is written to the
    file first and the old ones kept until every data key is re-wrapped, so a crash at any
    point leaves everything readable (running rotate again finishes the job).
    """
    _forget_keyring()
    ring = keyring()
    if ring.source != "file" or ring.path is None:
        raise VaultError(
            "The key-encryption key comes from the TEND_KEK environment variable. Rotation "
            "writes a keyring file: move the keys into TEND_KEK_FILE (one entry a line, newest "
            "first), unset TEND_KEK, and run rotate again."
        )
    new = new or new_kek()
    same_id = ring.get(new.id)
    if same_id is not None and same_id.key != new.key:
        raise VaultError(f"The keyring already holds a different key with id {new.id}.")
    known = [kek.id for kek in ring.keks]
    missing = sorted(
        set(DataKey.objects.exclude(kek_id__in=known).values_list("kek_id", flat=True))
    )
    if missing:
        raise VaultError(
            f"Some data keys are wrapped by keys missing from the keyring ({', '.join(missing)}). "
            "Restore those keys before rotating; nothing was changed."
        )
    working = Keyring((new, *(kek for kek in ring.keks if kek.id != new.id)), "file", ring.path)
    write_keyring_file(ring.path, working.keks)
    _forget_keyring()
    kek_register(working)
    rewrapped, batches = _rewrap_all(working, new, batch_size)
    write_keyring_file(ring.path, (new,))
    _forget_keyring()
    # A process that read the keyring just before the first write may have wrapped a new data
    # key under an old KEK since. The old keys are still in memory here: catch such stragglers.
    more, more_batches = _rewrap_all(working, new, batch_size)
    # The retired keys wrap nothing any more: another server need not (and should not) hold them.
    KeyFingerprint.objects.filter(name__in=[f"kek:{kek.id}" for kek in working.keks[1:]]).delete()
    return Rotation(
        new_id=new.id,
        rewrapped=rewrapped + more,
        batches=batches + more_batches,
        retired=tuple(kek.id for kek in working.keks[1:]),
        path=ring.path,
    )


def kek_status() -> tuple[Keyring, dict[str, int]]:
    """The keyring and how many data keys each KEK id wraps (ids and counts only)."""
    ring = keyring()
    rows = DataKey.objects.values("kek_id").annotate(n=models.Count("pk")).order_by("kek_id")
    return ring, {row["kek_id"]: row["n"] for row in rows}


# ---- Checks: does this keyring open what the database holds? -------------------------------

# Data keys unwrapped per KEK id at a check: the oldest and the newest few. A wrong key fails on
# the first one; the sample only guards against a keyring that opens some rows and not others.
CHECK_SAMPLE = 3


def kek_register(ring: Keyring) -> None:
    """Record the fingerprint of each KEK in ``ring`` that the database does not know yet."""
    for kek in ring.keks:
        KeyFingerprint.objects.get_or_create(
            name=f"kek:{kek.id}",
            defaults={"fingerprint": kek_fingerprint(kek), "registered_by": host()},
        )


def host() -> str:
    """This machine and process, as a KeyFingerprint row names who registered it."""
    return f"{os.uname().nodename} pid {os.getpid()}"


def kek_check(ring: Keyring) -> list[str]:
    """What is wrong between ``ring`` and the stored data keys: one sentence a problem.

    It catches a key missing from the keyring, a different key under the right id (by its
    registered fingerprint, and by unwrapping a sample of the data keys it wraps), and a
    keyring that lacks a key another server registered. Ids and counts only, never key material.
    """
    problems: list[str] = []
    rows = DataKey.objects.values("kek_id").annotate(n=models.Count("pk")).order_by("kek_id")
    counts = {row["kek_id"]: row["n"] for row in rows}
    registered = dict(
        KeyFingerprint.objects.filter(name__startswith="kek:").values_list("name", "fingerprint")
    )
    for kek_id, n in counts.items():
        if ring.get(kek_id) is None:
            problems.append(
                f"{n} data keys are wrapped by key {kek_id}, which is not in the keyring."
            )
    for kek in ring.keks:
        fingerprint = registered.get(f"kek:{kek.id}")
        if fingerprint is not None and fingerprint != kek_fingerprint(kek):
            problems.append(
                f"The keyring holds a different key under the id {kek.id} than the one this "
                "database was used with."
            )
        elif counts.get(kek.id) and not _opens_sample(kek):
            problems.append(
                f"Key {kek.id} does not open the data keys wrapped under its id: the keyring "
                "holds a different key under the right id."
            )
    for name in sorted(registered):
        kek_id = name.removeprefix("kek:")
        if ring.get(kek_id) is None and kek_id not in counts:
            problems.append(
                f"Another server registered key {kek_id}, which is not in this keyring: every "
                "server must use the same keyring."
            )
    return problems


def _opens_sample(kek: Kek) -> bool:
    wrapping = DataKey.objects.filter(kek_id=kek.id)
    sample = [*wrapping.order_by("created_at")[:CHECK_SAMPLE]]
    sample += wrapping.order_by("-created_at")[:CHECK_SAMPLE]
    try:
        for row in sample:
            _unwrap(kek, bytes(row.wrapped), str(row.user_id))
    except VaultError:
        return False
    return True
