"""The real ``tend serve``, started as ``make run`` starts it, for the end-to-end tests.

The rest of the suite runs Tend inside pytest-django's live server with the test settings
(plain static storage, immediate tasks, mail in memory). That once hid a service worker which
answered 500 under the storage users get. These helpers start ``python -m tend.cli serve`` in a
fresh data directory with none of the test settings: gunicorn, static files collected by the
manifest storage, DEBUG off, the task worker as a child, and mail written as files.
"""

from __future__ import annotations

import ctypes
import email
import email.policy
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

# Collecting static files takes tens of seconds; the collected folder (with serve's fingerprint
# of the sources) is kept between runs, so serve collects again only when a source changed.
STATIC_CACHE = Path(tempfile.gettempdir()) / (
    "tend-served-static-" + hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:10]
)
START_TIMEOUT = 300.0
# What make run's environment would not have: the test settings and anything aimed at them.
DROPPED = ("TEND_", "DJANGO_")
DROPPED_NAMES = {"DATABASE_URL", "REDIS_URL", "PORT", "HOST", "WEB_CONCURRENCY"}


@dataclass
class Served:
    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def children(self) -> list[int]:
        """The server's child processes (gunicorn's workers and the task worker)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    @staticmethod
    def command_line(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return ""

    def emails_to(self, address: str) -> list[EmailMessage]:
        """Every email the file backend has written to ``address``, oldest first."""
        found: list[EmailMessage] = []
        if not self.mail_dir.exists():
            return found
        separator = b"\n" + b"-" * 79 + b"\n"
        for path in sorted(self.mail_dir.iterdir(), key=lambda p: p.stat().st_mtime_ns):
            for chunk in path.read_bytes().split(separator):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                if isinstance(message, EmailMessage) and address in str(message["To"]):
                    found.append(message)
        return found

    def wait_for_email(self, address: str, count: int = 1, timeout: float = 30.0) -> str:
        """The plain-text body of the ``count``-th email to ``address``, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.emails_to(address)
            if len(messages) >= count:
                body = messages[count - 1].get_body(preferencelist=("plain",))
                assert isinstance(body, EmailMessage)
                return str(body.get_content())
            time.sleep(0.2)
        raise AssertionError(f"no email {count} to {address} within {timeout}s")


def free_port() -> int:
    """``TEND_SERVED_PORT`` if set (a machine shared by several people), else any free port."""
    chosen = os.environ.get("TEND_SERVED_PORT")
    if chosen:
        return int(chosen)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_run_environment(*, data_dir: Path, port: int, database_url: str) -> dict[str, str]:
    """The environment ``make run`` gives ``tend serve``: the caller's, minus Tend's settings."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(DROPPED) and name not in DROPPED_NAMES
    }
    environment["PORT"] = str(port)
    environment["TEND_DATA_DIR"] = str(data_dir)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


@contextmanager
def fresh_postgres_database(database_url: str) -> Iterator[str]:
    """A new, empty database beside the one ``database_url`` names, dropped afterwards.

    The served app must never touch the developer's database, nor the test database that
    pytest-django makes for the rest of the suite.
    """
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'tend'}_served_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(drop)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop_with_pytest() -> None:
    # Linux sends SIGINT to the server if pytest dies without stopping it (killed, say), so no
    # server outlives its test run; serve's task worker already stops with serve.
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG


def _stop(process: subprocess.Popen[bytes]) -> None:
    # Ctrl+C, as a person stops make run: gunicorn stops, then serve stops its task worker.
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def tend_serve() -> Iterator[Served]:
    """Start ``tend serve`` as make run does, wait until it answers, stop it afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix="tend-served-"))
    STATIC_CACHE.mkdir(parents=True, exist_ok=True)
    (data_dir / "static").symlink_to(STATIC_CACHE, target_is_directory=True)
    port = free_port()
    database_url = os.environ.get("DATABASE_URL", "")
    try:
        if database_url.startswith(("postgres://", "postgresql://")):
            with fresh_postgres_database(database_url) as fresh:
                yield from _serving(data_dir, port, fresh)
        else:
            yield from _serving(data_dir, port, "")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _serving(data_dir: Path, port: int, database_url: str) -> Iterator[Served]:
    log = data_dir / "serve.log"
    # Two runs at once (pytest -n, say) must not collect into the shared folder together: each
    # start holds the lock until its server answers.
    starting = (STATIC_CACHE.parent / (STATIC_CACHE.name + ".lock")).open("w")
    fcntl.flock(starting, fcntl.LOCK_EX)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tend.cli", "serve"],
            cwd=settings.BASE_DIR,
            env=make_run_environment(data_dir=data_dir, port=port, database_url=database_url),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_stop_with_pytest,
        )
    served = Served(url=f"http://127.0.0.1:{port}", data_dir=data_dir, log=log, process=process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(served.url + "/healthz"):
            if process.poll() is not None:
                raise AssertionError("tend serve stopped:\n" + served.log_tail())
            if time.monotonic() > deadline:
                raise AssertionError("tend serve did not answer in time:\n" + served.log_tail())
            time.sleep(0.5)
        starting.close()
        yield served
    finally:
        starting.close()
        children = served.children()
        _stop(process)
    # Nothing outlives the server: the task worker stops with it (serve started it with
    # --stop-with-parent, and gunicorn, which serve became, has its process id).
    deadline = time.monotonic() + 20
    left = [pid for pid in children if served.command_line(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = [pid for pid in children if served.command_line(pid)]
    for pid in left:
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, "processes outlived tend serve:\n" + served.log_tail()
