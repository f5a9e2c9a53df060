"""The encryption vault: data keys, the encrypted text field, rotation and crypto-shredding."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.core import vault
from tend.core.fields import Sealed
from tend.core.models import DataKey
from tend.core.tests.vaultapp.models import Note
from tend.core.vault import VaultError

CANARY = "CANARY-partner-glanced-at-phone-9c41"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def keyring_file(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own keyring file and an empty cache of unwrapped data keys."""
    monkeypatch.delenv("TEND_KEK", raising=False)
    path = tmp_path / "keys" / "kek.keys"
    settings.TEND_KEK_FILE = path
    vault._data_keys.clear()
    yield path
    vault._data_keys.clear()


def stored(note: Note, column: str) -> bytes:
    """The bytes the database holds for one field, read around the model."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM vaultapp_note WHERE id = %s",  # noqa: S608
            [Note._meta.pk.get_db_prep_value(note.pk, connection)],  # type: ignore[union-attr]
        )
        return bytes(cursor.fetchone()[0])


def put(note: Note, column: str, blob: bytes) -> None:
    Note.objects.filter(pk=note.pk).update(**{column: blob})


def context(note: Note, column: str) -> bytes:
    return vault.field_context(table="vaultapp_note", column=column, pk=note.pk)


# ---- Keys ----------------------------------------------------------------------------------


def test_it_generates_a_private_keyring_file_on_first_use(alice: User, keyring_file: Path) -> None:
    assert not keyring_file.exists()
    Note.objects.create(author=alice, cue="phone at dinner")
    assert stat.S_IMODE(keyring_file.stat().st_mode) == 0o600
    ring = vault.keyring()
    assert ring.source == "file" and len(ring.keks) == 1


def test_it_creates_one_wrapped_data_key_per_person_on_first_encryption(alice: User) -> None:
    Note.objects.create(author=alice, kind="glimmer")  # no text, no key needed
    assert not DataKey.objects.filter(user=alice).exists()
    Note.objects.create(author=alice, cue="hand on the knee")
    Note.objects.create(author=alice, cue="I've got you")
    row = DataKey.objects.get(user=alice)
    assert row.kek_id == vault.keyring().current.id
    key = vault.data_key(alice.pk)
    assert len(key) == 32 and key not in bytes(row.wrapped)


def test_a_wrapped_data_key_opens_only_for_its_owner(alice: User, bob: User) -> None:
    Note.objects.create(author=alice, cue="phone at dinner")
    row = DataKey.objects.get(user=alice)
    with pytest.raises(VaultError, match="does not open"):
        vault._unwrap(vault.keyring().current, bytes(row.wrapped), str(bob.pk))


def test_it_takes_the_newest_kek_from_the_environment_and_keeps_reading_older_ones(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = vault.new_kek(), vault.new_kek()
    monkeypatch.setenv("TEND_KEK", old.entry())
    note = Note.objects.create(author=alice, cue="date night")
    monkeypatch.setenv("TEND_KEK", f"{new.entry()}, {old.entry()}")
    Note.objects.create(author=bob, cue="late reply")
    assert DataKey.objects.get(user=alice).kek_id == old.id
    assert DataKey.objects.get(user=bob).kek_id == new.id
    vault._data_keys.clear()
    assert Note.objects.get(pk=note.pk).cue == "date night"


def test_a_malformed_keyring_fails_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEND_KEK", "secret-looking-material")
    with pytest.raises(VaultError) as error:
        vault.keyring()
    assert "secret-looking-material" not in str(error.value)


# ---- The encrypted field -------------------------------------------------------------------


def test_it_stores_ciphertext_and_reads_back_the_text(alice: User) -> None:
    note = Note.objects.create(author=alice, cue=CANARY, story="would they rather be elsewhere?")
    blob = stored(note, "cue")
    assert blob[:1] == vault.VERSION and CANARY.encode() not in blob
    fresh = Note.objects.get(pk=note.pk)
    assert fresh.cue == CANARY
    assert fresh.story == "would they rather be elsewhere?"


def test_empty_text_is_stored_without_encryption(alice: User) -> None:
    note = Note.objects.create(author=alice, cue="")
    assert stored(note, "cue") == b""
    assert Note.objects.get(pk=note.pk).cue == ""
    assert Note.objects.filter(cue="").count() == 1


def test_it_decrypts_lazily_and_keeps_the_plaintext(
    alice: User, django_assert_num_queries: Any
) -> None:
    note = Note.objects.create(author=alice, cue="phone at dinner")
    fresh = Note.objects.get(pk=note.pk)
    assert isinstance(fresh.__dict__["cue"], Sealed)
    with django_assert_num_queries(1):  # the data key row, once
        assert fresh.cue == "phone at dinner"
        assert fresh.cue == "phone at dinner"
    assert Note.objects.values_list("cue", flat=True).get() == Sealed(stored(note, "cue"))


def test_select_related_data_key_saves_the_key_queries(
    alice: User, django_assert_num_queries: Any
) -> None:
    for cue in ("one", "two", "three"):
        Note.objects.create(author=alice, cue=cue)
    with django_assert_num_queries(1):
        cues = {n.cue for n in Note.objects.select_related("author__data_key")}
    assert cues == {"one", "two", "three"}


def test_a_copied_row_is_encrypted_for_its_new_id(alice: User) -> None:
    note = Note.objects.create(author=alice, cue="phone at dinner")
    copy = Note.objects.get(pk=note.pk)
    copy.pk = uuid.uuid4()
    copy._state.adding = True
    copy.save()
    assert Note.objects.get(pk=copy.pk).cue == "phone at dinner"


def test_a_ciphertext_moved_to_another_row_fails_loudly(alice: User) -> None:
    first = Note.objects.create(author=alice, cue="partner's date night")
    second = Note.objects.create(author=alice, cue="phone at dinner")
    put(second, "cue", stored(first, "cue"))
    with pytest.raises(VaultError, match=r"Cannot decrypt vaultapp\.Note\.cue of row"):
        _ = Note.objects.get(pk=second.pk).cue
    assert Note.objects.get(pk=first.pk).cue == "partner's date night"


def test_a_ciphertext_moved_to_another_field_fails_loudly(alice: User) -> None:
    note = Note.objects.create(author=alice, cue="partner's date night", story="not enough")
    put(note, "story", stored(note, "cue"))
    with pytest.raises(VaultError, match=r"Cannot decrypt vaultapp\.Note\.story"):
        _ = Note.objects.get(pk=note.pk).story


def test_a_ciphertext_moved_to_another_persons_row_fails_loudly(alice: User, bob: User) -> None:
    hers = Note.objects.create(author=alice, cue="partner's date night")
    his = Note.objects.create(author=bob, cue="late reply")
    put(his, "cue", stored(hers, "cue"))
    with pytest.raises(VaultError, match="Cannot decrypt"):
        _ = Note.objects.get(pk=his.pk).cue


def test_a_tampered_ciphertext_fails_loudly(alice: User) -> None:
    note = Note.objects.create(author=alice, cue="partner's date night")
    blob = bytearray(stored(note, "cue"))
    blob[-1] ^= 1
    put(note, "cue", bytes(blob))
    with pytest.raises(VaultError, match="altered"):
        _ = Note.objects.get(pk=note.pk).cue


def test_it_refuses_to_write_or_filter_text_around_the_model(alice: User) -> None:
    note = Note.objects.create(author=alice, cue="phone at dinner")
    # Each attempt runs in its own savepoint, as a failed statement spoils the transaction.
    with pytest.raises(VaultError, match="is encrypted"), transaction.atomic():
        Note.objects.update(cue="in the clear")
    with pytest.raises(VaultError, match="is encrypted"), transaction.atomic():
        list(Note.objects.filter(cue="phone at dinner"))
    note.cue = "in the clear"
    with pytest.raises(VaultError, match="is encrypted"), transaction.atomic():
        Note.objects.bulk_update([note], ["cue"])
    assert Note.objects.get(pk=note.pk).cue == "phone at dinner"


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400))
@example(text="🫶🏽 the hand on the knee 💛")
@example(text="שלום، هل ستبقى؟ \u202eRTL override\u202c")
@example(text="\x00\x01\x1b[31m\r\n\t\x7f")
@example(text="breathe " * 20_000)
def test_any_text_round_trips(alice: User, text: str) -> None:
    note = Note.objects.create(author=alice, cue=text, story=text[::-1])
    fresh = Note.objects.get(pk=note.pk)
    assert fresh.cue == text
    assert fresh.story == text[::-1]


# ---- Rotation and status -------------------------------------------------------------------


def entries(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line and not line.startswith("#")]


def test_rotation_rewraps_every_data_key_and_keeps_every_value_readable(
    alice: User, bob: User, carol: User, keyring_file: Path
) -> None:
    notes = {
        Note.objects.create(author=alice, cue="date night").pk: "date night",
        Note.objects.create(author=bob, cue="late reply").pk: "late reply",
        Note.objects.create(author=carol, cue="session notes").pk: "session notes",
    }
    old = vault.keyring().current
    content_before = {pk: stored(Note(pk=pk), "cue") for pk in notes}
    out = io.StringIO()
    call_command("keys", "rotate", "--batch-size", "2", stdout=out)

    ring = vault.keyring()
    assert ring.current.id != old.id
    assert [entry.split(":")[0] for entry in entries(keyring_file)] == [ring.current.id]
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {ring.current.id}
    assert {pk: stored(Note(pk=pk), "cue") for pk in notes} == content_before  # content untouched
    assert "Re-wrapped 3 data keys" in out.getvalue() and "in 2 batches" in out.getvalue()
    assert old.key.hex() not in out.getvalue() and ring.current.key.hex() not in out.getvalue()

    vault._data_keys.clear()
    for pk, text in notes.items():
        assert Note.objects.get(pk=pk).cue == text
    # The retired KEK no longer opens anybody's data key.
    for row in DataKey.objects.all():
        with pytest.raises(VaultError):
            vault._unwrap(old, bytes(row.wrapped), str(row.user_id))


def test_rotation_takes_the_new_kek_from_a_file(
    alice: User, tmp_path: Path, keyring_file: Path
) -> None:
    note = Note.objects.create(author=alice, cue="date night")
    new = vault.Kek(id="kek-from-vault-2027", key=AESGCM.generate_key(bit_length=256))
    new_file = tmp_path / "new.key"
    new_file.write_text(new.entry() + "\n")
    call_command("keys", "rotate", "--new-key-file", str(new_file), stdout=io.StringIO())
    assert entries(keyring_file) == [new.entry()]
    assert DataKey.objects.get(user=alice).kek_id == "kek-from-vault-2027"
    vault._data_keys.clear()
    assert Note.objects.get(pk=note.pk).cue == "date night"


def test_rotation_refuses_a_kek_from_the_environment(
    alice: User, monkeypatch: pytest.MonkeyPatch, keyring_file: Path
) -> None:
    monkeypatch.setenv("TEND_KEK", vault.new_kek().entry())
    Note.objects.create(author=alice, cue="date night")
    with pytest.raises(CommandError, match="TEND_KEK_FILE"):
        call_command("keys", "rotate", stdout=io.StringIO())
    assert not keyring_file.exists()


def test_rotation_refuses_when_a_wrapping_key_is_missing(alice: User, keyring_file: Path) -> None:
    Note.objects.create(author=alice, cue="date night")
    before = keyring_file.read_text()
    vault.write_keyring_file(keyring_file, (vault.new_kek(),))  # the old key was lost
    with pytest.raises(CommandError, match="missing from the keyring"):
        call_command("keys", "rotate", stdout=io.StringIO())
    assert keyring_file.read_text() != before and len(entries(keyring_file)) == 1


def test_status_shows_key_ids_and_counts_but_no_key_material(
    alice: User, bob: User, keyring_file: Path
) -> None:
    Note.objects.create(author=alice, cue="date night")
    Note.objects.create(author=bob, cue="late reply")
    current = vault.keyring().current
    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    text = out.getvalue()
    assert f"Current key: {current.id}" in text
    assert f"{current.id}: 2 data keys" in text
    assert current.entry().split(":")[1] not in text


def test_the_keys_command_explains_itself() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "keys", "rotate", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--new-key-file" in result.stdout and "re-wrapped" in result.stdout


# ---- Crypto-shredding ----------------------------------------------------------------------


def test_after_shred_nothing_the_person_wrote_can_be_decrypted(
    alice: User, bob: User, carol: User
) -> None:
    note = Note.objects.create(author=alice, cue=CANARY, story="the part that fears being left")
    Note.objects.create(author=bob, cue="late reply")
    Note.objects.create(author=carol, cue="session notes")
    Note.objects.get(pk=note.pk).cue  # noqa: B018 - warms the process cache of alice's key
    blobs = [stored(note, "cue"), stored(note, "story")]
    assert str(alice.pk) in vault._data_keys.user_ids()

    vault.shred(user=alice)

    assert not DataKey.objects.filter(user=alice).exists()
    assert str(alice.pk) not in vault._data_keys.user_ids()
    remaining = [kek.key for kek in vault.keyring().keks]
    remaining += [vault.data_key(row.user_id) for row in DataKey.objects.all()]
    assert len(remaining) == 3  # the KEK, bob's and carol's data keys
    for blob, column in zip(blobs, ("cue", "story"), strict=True):
        nonce, sealed = blob[1:13], blob[13:]
        for key in remaining:
            with pytest.raises(InvalidTag):
                AESGCM(key).decrypt(nonce, sealed, context(note, column))
    with pytest.raises(VaultError, match="shredded"):
        _ = Note.objects.get(pk=note.pk).cue
    with pytest.raises(VaultError, match="shredded"):
        _ = Note.objects.select_related("author__data_key").get(pk=note.pk).story


def test_shred_then_account_deletion_removes_the_rows(alice: User, bob: User) -> None:
    Note.objects.create(author=alice, cue="date night")
    kept = Note.objects.create(author=bob, cue="late reply")
    _ = alice.data_key  # a cached relation must not outlive the shred
    vault.shred(user=alice)
    with pytest.raises(DataKey.DoesNotExist):
        _ = alice.data_key
    alice.delete()
    assert list(Note.objects.all()) == [kept]
    assert Note.objects.get(pk=kept.pk).cue == "late reply"


def test_concurrent_first_encryptions_share_one_data_key(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = vault.data_key(alice.pk, create=True)
    real_filter = DataKey.objects.filter
    calls = {"n": 0}

    def racing_filter(*args: Any, **kwargs: Any) -> Any:
        # The first lookup misses, as if another request created the key just after it.
        calls["n"] += 1
        return real_filter(pk=None) if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(DataKey.objects, "filter", racing_filter)
    assert vault.data_key(alice.pk, create=True) == winner
    assert DataKey.objects.count() == 1


# ---- Canary: the words never reach the database in the clear --------------------------------


def test_a_canary_is_absent_from_the_sqlite_file(tmp_path: Path) -> None:
    script = (
        "import sys, django; django.setup()\n"
        "from django.db import connection\n"
        "from tend.accounts.models import User\n"
        "from tend.core.tests.vaultapp.models import Note\n"
        "user = User.objects.create_user('canary@example.test', 'calm-harbour-42')\n"
        "note = Note.objects.create(author=user, cue=sys.argv[1], story=sys.argv[1])\n"
        "assert Note.objects.get(pk=note.pk).cue == sys.argv[1]\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n"
        "connection.close()\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TEND_KEK", "TEND_KEK_FILE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.test_settings", TEND_DATA_DIR=str(tmp_path))
    for command in (
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0", "--skip-checks"],
        [sys.executable, "-c", script, CANARY],
    ):
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr[-2000:]
    database = tmp_path / "tend.sqlite3"
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("tend.sqlite3*"))
    assert database.exists() and b"canary@example.test" in raw  # the scan does see the data
    assert CANARY.encode() not in raw
    assert CANARY.encode().hex().encode() not in raw.lower()
    assert (tmp_path / "kek.keys").exists()


@pytest.mark.django_db(transaction=True)
def test_a_canary_is_absent_from_a_postgresql_dump() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL points at PostgreSQL")
    user = UserFactory(email="canary@example.test")
    note = Note.objects.create(author=user, cue=CANARY, story=CANARY)
    assert Note.objects.get(pk=note.pk).cue == CANARY
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    result = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h", db.get("HOST") or "127.0.0.1",
            "-p", str(db.get("PORT") or 5432),
            "-U", db.get("USER") or "postgres",
            db["NAME"],
        ],
        env=env,
        capture_output=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    dump = result.stdout
    assert b"canary@example.test" in dump  # the dump does hold the data
    assert CANARY.encode() not in dump
    assert CANARY.encode().hex().encode() not in dump.lower()
    assert settings.TEND_KEK_FILE  # the key stays outside the database
    assert vault.keyring().current.entry().split(":")[1].encode() not in dump
