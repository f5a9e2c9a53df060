"""Several app servers on one database: shared keys checked at start, periodic work run once.

The unit tests run everywhere; the last test starts two real ``tend serve`` and one ``tend
worker`` on PostgreSQL and Redis, and runs only when DATABASE_URL names a PostgreSQL server (the
PostgreSQL pass of .ci/run) and Redis answers."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from tend.core import preflight, tasks
from tend.core.models import KeyFingerprint, PeriodicRun
from tend.core.tests.commands import tend

REDIS_URL = os.environ.get("TEND_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
PORTS = (8161, 8162, 8163)

ran: list[str] = []


@pytest.fixture
def one_hook() -> Iterator[None]:
    saved = dict(tasks._tick_hooks)
    tasks._tick_hooks.clear()
    ran.clear()
    tasks.on_tick(lambda: ran.append("ran"))
    yield
    tasks._tick_hooks.clear()
    tasks._tick_hooks.update(saved)


# ---- The tick runs once a minute, however many schedulers enqueue it ------------------------


def test_two_ticks_in_one_minute_run_the_hooks_once(db: Any, one_hook: None) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, 30, 1, tzinfo=dt.UTC), tick=False):
        tasks.tick()
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, 30, 58, tzinfo=dt.UTC), tick=False):
        tasks.tick()  # the second server's scheduler, a little late
    assert ran == ["ran"]
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, 31, 0, tzinfo=dt.UTC), tick=False):
        tasks.tick()
    assert ran == ["ran", "ran"]
    assert PeriodicRun.objects.get(name="tick").slot == dt.datetime(
        2026, 12, 5, 9, 31, tzinfo=dt.UTC
    )


def test_a_late_tick_of_an_earlier_minute_does_not_run_again(db: Any, one_hook: None) -> None:
    assert tasks.claim_slot("tick", dt.datetime(2026, 12, 5, 9, 31, tzinfo=dt.UTC))
    assert not tasks.claim_slot("tick", dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC))
    assert not tasks.claim_slot("tick", dt.datetime(2026, 12, 5, 9, 31, tzinfo=dt.UTC))


# ---- The secret key every server shares ----------------------------------------------------


@pytest.fixture
def shared(settings: Any) -> Any:
    """Pretend to be one of several servers (Redis configured), whatever the test database."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.SECRET_KEY = "the first server's secret key"
    settings.SECRET_KEY_FALLBACKS = []
    return settings


def test_the_first_server_registers_its_secret_key_and_the_same_key_starts(
    db: Any, shared: Any
) -> None:
    preflight.check_secret_key()
    row = KeyFingerprint.objects.get(name="secret_key")
    assert row.fingerprint == preflight.secret_fingerprint(shared.SECRET_KEY)
    assert shared.SECRET_KEY not in row.fingerprint
    preflight.check_secret_key()


def test_a_server_with_another_secret_key_is_refused_with_what_to_do(
    db: Any, shared: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    preflight.check_secret_key()
    shared.SECRET_KEY = "a key this server generated in its own data directory"
    monkeypatch.delenv("TEND_SECRET_KEY", raising=False)
    with pytest.raises(preflight.PreflightError) as refused:
        preflight.check_secret_key()
    message = str(refused.value)
    assert "generated its own" in message and "TEND_SECRET_KEY is unset" in message
    assert "Set TEND_SECRET_KEY" in message and "TEND_KEK" in message
    assert shared.SECRET_KEY not in message


def test_a_rotation_with_the_old_key_as_fallback_registers_the_new_key(
    db: Any, shared: Any
) -> None:
    preflight.check_secret_key()
    shared.SECRET_KEY_FALLBACKS = [shared.SECRET_KEY]
    shared.SECRET_KEY = "the new secret key"
    preflight.check_secret_key()
    assert KeyFingerprint.objects.get(name="secret_key").fingerprint == (
        preflight.secret_fingerprint("the new secret key")
    )


def test_register_secret_records_a_deliberately_replaced_key(db: Any, shared: Any) -> None:
    preflight.check_secret_key()
    shared.SECRET_KEY = "replaced on every server after a leak"
    with pytest.raises(preflight.PreflightError):
        preflight.check_secret_key()
    call_command("keys", "register-secret")
    preflight.check_secret_key()


def test_a_single_server_on_sqlite_checks_no_secret_key(db: Any, settings: Any) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the single-server case is SQLite without Redis")
    settings.REDIS_URL = ""
    preflight.check_secret_key()
    assert not KeyFingerprint.objects.filter(name="secret_key").exists()


def test_a_refused_worker_exits_with_the_message(db: Any, shared: Any) -> None:
    preflight.check_secret_key()
    shared.SECRET_KEY = "another"
    with pytest.raises(CommandError, match="must share one secret key"):
        preflight.refuse_unless_ready()


# ---- Two app servers and one worker on PostgreSQL and Redis ---------------------------------


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def cluster_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "two app servers need a shared PostgreSQL: runs when DATABASE_URL names one "
            "(the PostgreSQL pass of .ci/run)"
        )
    if not redis_answers(REDIS_URL):
        pytest.skip(f"two app servers need a shared Redis; none answers at {REDIS_URL}")
    import psycopg
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    name = f"tend_servers_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEND_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=urlunsplit(parts._replace(path=f"/{name}")),
        REDIS_URL=REDIS_URL,
        TEND_SECRET_KEY=secrets.token_urlsafe(48),
        TEND_KEK=f"kek-shared:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    )
    try:
        yield env
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, env: dict[str, str], label: str, *args: str) -> Path:
        log = self.tmp_path / f"{label}.log"
        with log.open("wb") as out:
            self.running.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tend.cli", *args],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        return log

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def wait_for(what: str, ready: Any, log: Path, seconds: int = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen:\n{log.read_text()[-3000:]}")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def api(port: int, token: str, method: str, path: str, body: Any = None, **headers: str) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


MAKE_TOKEN = (
    "from tend.accounts.models import User\n"
    "from tend.api.services import token_create\n"
    "user = User.objects.create_user('alice@example.test', 'calm-harbour-42')\n"
    "print(token_create(user=user, name='servers', scope='write')[1])\n"
)


def test_two_app_servers_and_one_worker_share_keys_and_tick_once(
    cluster_env: dict[str, str], tmp_path: Path
) -> None:
    env = cluster_env
    servers = Processes(tmp_path)
    try:
        tend(env | {"TEND_DATA_DIR": str(tmp_path / "a")}, "migrate", "--no-input", "-v", "0")
        token = tend(
            env | {"TEND_DATA_DIR": str(tmp_path / "a")},
            "shell",
            "--no-imports",
            "-v",
            "0",
            "-c",
            MAKE_TOKEN,
        ).stdout.strip()

        # Each server has a data directory of its own, as on separate machines; the second one
        # reuses the first one's collected static files, only to save the test a minute.
        a_env = env | {"TEND_DATA_DIR": str(tmp_path / "a")}
        a_log = servers.start(
            a_env, "a", "serve", "--port", str(PORTS[0]), "--workers", "1", "--no-worker"
        )
        wait_for("server A answering", lambda: answers(PORTS[0]), a_log)
        (tmp_path / "b").mkdir()
        (tmp_path / "b" / "static").symlink_to(tmp_path / "a" / "static")
        b_env = env | {"TEND_DATA_DIR": str(tmp_path / "b")}
        b_log = servers.start(
            b_env, "b", "serve", "--port", str(PORTS[1]), "--workers", "1", "--no-worker"
        )
        worker_log = servers.start(env | {"TEND_DATA_DIR": str(tmp_path / "w")}, "worker", "worker")
        wait_for("server B answering", lambda: answers(PORTS[1]), b_log)

        # A moment logged through A is read through B, and its retry through B is the same one.
        body = {"cue": "partner's date night", "states": ["flight"]}
        status, first = api(PORTS[0], token, "POST", "/moments", body, **{"Idempotency-Key": "k-1"})
        assert status == 201
        status, again = api(PORTS[1], token, "POST", "/moments", body, **{"Idempotency-Key": "k-1"})
        assert (status, again["id"]) == (200, first["id"])
        status, read = api(PORTS[1], token, "GET", f"/moments/{first['id']}")
        assert (status, read["cue"]) == (200, "partner's date night")

        # A third server whose secret key was generated in its own data directory is refused,
        # and so is one with another keyring.
        c_dir = tmp_path / "c"
        lone = {k: v for k, v in env.items() if k != "TEND_SECRET_KEY"} | {
            "TEND_DATA_DIR": str(c_dir)
        }
        refused = tend(
            lone, "serve", "--port", str(PORTS[2]), "--no-worker", check=False, timeout=300
        )
        assert refused.returncode == 1 and "must share one secret key" in refused.stderr
        assert "generated its own" in refused.stderr
        other_kek = env | {
            "TEND_DATA_DIR": str(c_dir),
            "TEND_KEK": f"kek-other:{base64.b64encode(secrets.token_bytes(32)).decode()}",
        }
        refused = tend(other_kek, "worker", check=False)
        assert refused.returncode == 1 and "not in the keyring" in refused.stderr
        assert not answers(PORTS[2])

        # A second scheduler's tick in the same minute is claimed away by the first.
        while not 5 <= dt.datetime.now(dt.UTC).second <= 45:
            time.sleep(1)
        enqueue = "from tend.core.tasks import tick\ntick()\ntick()\n"
        tend(env | {"TEND_DATA_DIR": str(tmp_path / "a")}, "shell", "--no-imports", "-c", enqueue)
        claimed_away = re.compile(r"Tick of this minute already claimed")
        wait_for(
            "the second tick of the minute to be skipped",
            lambda: claimed_away.search(worker_log.read_text()) is not None,
            worker_log,
            seconds=120,
        )
        executed = worker_log.read_text().count("Executing tend.core.tasks.tick")
        skipped = len(claimed_away.findall(worker_log.read_text()))
        assert skipped >= 1 and executed - skipped <= 2  # at most one run a minute (two minutes)
    finally:
        servers.stop()


CHECK_START = "from tend.core import preflight\npreflight.check_start()\n"


def test_a_restore_makes_the_restoring_servers_secret_key_the_shared_one(
    cluster_env: dict[str, str], tmp_path: Path
) -> None:
    old = cluster_env | {"TEND_DATA_DIR": str(tmp_path / "old")}
    tend(old, "migrate", "--no-input", "-v", "0")
    tend(old, "shell", "--no-imports", "-v", "0", "-c", CHECK_START)
    backup = tmp_path / "copy.pgdump"
    tend(old, "backup", "--output", str(backup))

    # A new machine: the keyring travelled with the backup, the secret key did not.
    new = cluster_env | {
        "TEND_DATA_DIR": str(tmp_path / "new"),
        "TEND_SECRET_KEY": secrets.token_urlsafe(48),
    }
    tend(new, "restore", str(backup), "--yes")
    tend(new, "shell", "--no-imports", "-v", "0", "-c", CHECK_START)
    refused = tend(old, "shell", "--no-imports", "-v", "0", "-c", CHECK_START, check=False)
    assert refused.returncode != 0 and "must share one secret key" in refused.stderr
