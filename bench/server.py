"""The stage: a throwaway Tend (own data directory, own database) served by gunicorn on loopback."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "tend_bench"
# Several people may run benchmarks on one PostgreSQL server: TEND_BENCH_DB_SUFFIX (letters,
# digits, underscores) is appended to every database name the harness creates and drops, and
# TEND_BENCH_PORT pins the port gunicorn serves on (otherwise any free one).
DB_SUFFIX_ENV = "TEND_BENCH_DB_SUFFIX"
PORT_ENV = "TEND_BENCH_PORT"

FLOOR_TABLE_SQL = {
    "sqlite": (
        "CREATE TABLE IF NOT EXISTS bench_floor_row "
        "(id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TIMESTAMP NOT NULL)"
    ),
    "postgresql": (
        "CREATE TABLE IF NOT EXISTS bench_floor_row "
        "(id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL)"
    ),
}


# A signed-in session for the bench account, as django.contrib.auth.login() would store it;
# prints the Cookie header's value.
SIGN_IN_CODE = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from tend.accounts.models import User
user = User.objects.get(email={email!r})
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = user._meta.pk.value_to_string(user)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(settings.SESSION_COOKIE_NAME + "=" + store.session_key)
"""


def process_cpu(pid: int) -> tuple[int, float] | None:
    """``(parent pid, CPU seconds so far)`` of a process, from /proc (Linux); None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def db_suffix() -> str:
    suffix = os.environ.get(DB_SUFFIX_ENV, "")
    if not re.fullmatch(r"[A-Za-z0-9_]{0,20}", suffix):
        raise ValueError(f"{DB_SUFFIX_ENV} may hold only letters, digits and underscores (≤ 20)")
    return suffix.lower()


def free_port() -> int:
    if os.environ.get(PORT_ENV):
        return int(os.environ[PORT_ENV])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Stage:
    """Set up Tend for a benchmark, serve it, and tear everything down afterwards."""

    def __init__(
        self,
        *,
        database: str = "sqlite",
        workers: int = 2,
        threads: int = 4,
        keep: bool = False,
        pg_database: str = PG_BENCH_DB,
    ) -> None:
        if database not in {"sqlite", "postgres"}:
            raise ValueError("database must be sqlite or postgres")
        self.database = database
        self.workers = workers
        self.threads = threads
        self.keep = keep
        self.pg_database = pg_database + db_suffix()
        self.data_dir = Path(tempfile.mkdtemp(prefix="tend-bench-"))
        self.port = free_port()
        self.host = "127.0.0.1"
        self.token: str | None = None
        self.cookie: str | None = None
        self.email = "bench@example.test"
        self.log_path = self.data_dir / "gunicorn.log"
        self._server: subprocess.Popen[bytes] | None = None
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("TEND_") and k not in {"DATABASE_URL", "REDIS_URL"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            TEND_DATA_DIR=str(self.data_dir),
            TEND_BENCH="1",
            TEND_LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        if database == "postgres":
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.pg_database}"

    # --- running Tend's own commands --------------------------------------------------------

    def tend(self, *args: str) -> str:
        """Run a ``tend`` command against the stage and return what it printed."""
        result = subprocess.run(
            [sys.executable, "-m", "tend.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"tend {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell(self, code: str) -> str:
        return self.tend("shell", "--no-imports", "-v", "0", "-c", code).strip()

    def python(self, module: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m module *args`` against the stage (a bench's measuring half, in a
        process of its own), and return what it did; the caller judges the exit code."""
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    # --- lifecycle --------------------------------------------------------------------------

    def prepare(self, *, auth: bool, static: bool = False, session: bool = False) -> None:
        if self.database == "postgres":
            self._fresh_postgres_database()
        self.tend("migrate", "--no-input", "-v", "0")
        if static:
            self.tend("collectstatic", "--no-input", "-v", "0")
        self.shell(
            "from django.db import connection\n"
            f"sql = {FLOOR_TABLE_SQL!r}[connection.vendor]\n"
            "with connection.cursor() as c: c.execute(sql)\n"
        )
        if auth or session:
            self.tend(
                "user", "create", "--email", self.email, "--password", secrets.token_urlsafe(24)
            )
        if session:
            self.cookie = self.shell(SIGN_IN_CODE.format(email=self.email)).splitlines()[-1]
        if auth:
            self.token = (
                self.tend(
                    "token", "create", "--email", self.email, "--scope", "write", "--name", "bench"
                )
                .strip()
                .splitlines()[-1]
            )

    def start(self) -> None:
        log = self.log_path.open("wb")
        self._server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{self.host}:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--graceful-timeout",
                "5",
                "--keep-alive",
                "30",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_until_up(timeout=60)

    def stop(self) -> None:
        if self._server is not None and self._server.poll() is None:
            self._server.send_signal(signal.SIGTERM)
            try:
                self._server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait(timeout=5)
        self._server = None
        if self.keep:
            return
        if self.database == "postgres":
            self._drop_postgres_database()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Stage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- CPU accounting ---------------------------------------------------------------------

    def cpu_seconds(self) -> dict[str, dict[int, float]]:
        """CPU seconds so far of each gunicorn worker and each database server process, by pid.

        Read from /proc (Linux), so that a slice's cost can be told from its wall time: on a
        machine shared with other work, CPU per request is the steadier figure.
        """
        found: dict[str, dict[int, float]] = {"server": {}, "database": {}}
        if self._server is None or not Path("/proc").is_dir():
            return found
        backends = self._database_pids()
        for entry in Path("/proc").glob("[0-9]*"):
            pid = int(entry.name)
            read = process_cpu(pid)
            if read is None:
                continue  # the process ended meanwhile
            ppid, seconds = read
            if ppid == self._server.pid:
                found["server"][pid] = seconds
            elif pid in backends:
                found["database"][pid] = seconds
        return found

    def _database_pids(self) -> set[int]:
        if self.database != "postgres":
            return set()
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s",
                [self.pg_database],
            ).fetchall()
        return {int(pid) for (pid,) in rows}

    # --- helpers ----------------------------------------------------------------------------

    def _wait_until_up(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server is not None and self._server.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Tend did not answer /healthz within {timeout:.0f} s")

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def _fresh_postgres_database(self) -> None:
        self._drop_postgres_database()
        self._admin(f'CREATE DATABASE "{self.pg_database}"')

    def _drop_postgres_database(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')
