"""``tend serve``: migrate, collect static files, then serve Tend with gunicorn and a worker."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from config.env import served_url
from tend.core import preflight
from tend.practices.crisis import missing_lines_warning

FINGERPRINT_FILE = ".tend-static-fingerprint"


def static_fingerprint() -> str:
    """A digest of every static source file's name, size and modification time.

    Collecting (hashing and compressing ~350 files) takes tens of seconds on a small machine,
    so ``serve`` collects again only when this digest changes.
    """
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    return digest.hexdigest()


def close_database_connections() -> None:
    """Close connections (and PostgreSQL pools) opened by migrate before gunicorn forks.

    A forked worker must never share a socket, or a pool's bookkeeping, with its parent.
    """
    for connection in connections.all(initialized_only=True):
        connection.close()
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()


# Access lines carry method, route and status only: no path (some carry a secret), no query
# string, no body. AccessRouteMiddleware puts the route into the WSGI environ.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %({tend.route}e)s" %(s)s %(M)sms'


class Command(BaseCommand):
    help = (
        "Prepare the database and static files, then serve Tend with gunicorn on "
        "127.0.0.1:$PORT (default 8000). The task worker runs as a child process that stops "
        "when the server stops (use --no-worker when workers run elsewhere)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST", "127.0.0.1"),
            help="address to listen on (default: $HOST or 127.0.0.1)",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="port to listen on (default: $PORT or 8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="gunicorn worker processes (default: $WEB_CONCURRENCY or 2)",
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")
        parser.add_argument("--no-migrate", action="store_true", help="skip migrations")

    def handle(self, *args: Any, **options: Any) -> None:
        self._name_the_site(options["host"], options["port"])
        self._warn_without_crisis_lines()
        if not options["no_migrate"]:
            # A wrong keyring is refused before migrate touches the schema.
            preflight.refuse_before_migrating()
            self.stdout.write("Preparing the database …")
            self.stdout.flush()
            call_command("migrate", interactive=False, verbosity=0)
        preflight.refuse_unless_ready()
        self._collect_static()

        worker: subprocess.Popen[bytes] | None = None
        if not options["no_worker"] and not settings.HUEY.get("immediate"):
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "tend.cli", "worker", "--stop-with-parent", str(os.getpid())]
            )
        close_database_connections()

        self._welcome(f"http://{options['host']}:{options['port']}")
        try:
            self._gunicorn(options)
        finally:
            # Reached only if gunicorn could not be started. Once it runs, it has this process's
            # id, and Linux sends the worker SIGINT (huey's signal to finish the task in hand
            # and exit) when it stops: see --stop-with-parent.
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(timeout=5)

    def _name_the_site(self, host: str, port: int) -> None:
        """Links in emails name the address people visit: unless TEND_SITE_URL says, this one.

        --host and --port may differ from HOST and PORT, which the settings read, so the
        settings, the task worker and gunicorn's workers learn the address here.
        """
        if settings.SITE_URL_CONFIGURED:
            return
        os.environ["HOST"], os.environ["PORT"] = host, str(port)
        settings.SITE_URL = served_url(host, port)
        if settings.PRODUCTION:
            self.stderr.write(
                self.style.WARNING(
                    f"TEND_SITE_URL is not set: links in emails will name {settings.SITE_URL}, "
                    "where this server listens. Set TEND_SITE_URL to the address people visit, "
                    "such as https://tend.example.org."
                )
            )

    def _warn_without_crisis_lines(self) -> None:
        # The crisis screen has a gentle default, so this is the operator's to hear, never the
        # person's: they should not read "not set up" when they do not feel safe.
        warning = missing_lines_warning()
        if warning:
            self.stderr.write(self.style.WARNING(warning))

    def _collect_static(self) -> None:
        root = Path(settings.STATIC_ROOT)
        marker = root / FINGERPRINT_FILE
        fingerprint = static_fingerprint()
        if marker.exists() and marker.read_text() == fingerprint:
            return
        self.stdout.write("Collecting static files (only after they change; this takes a while) …")
        self.stdout.flush()
        # In a process of its own: collecting (hashing and compressing every file) grows a
        # process by ~125 MB that Python keeps, and each gunicorn worker forked from this one
        # would carry it for its whole life.
        collected = subprocess.run(
            [sys.executable, "-m", "tend.cli", "collectstatic", "--no-input", "-v", "0"],
            check=False,
        )
        if collected.returncode != 0:
            raise CommandError("Collecting static files failed (see above); nothing was served.")
        marker.write_text(fingerprint)

    def _welcome(self, url: str) -> None:
        tend = Path(sys.executable).parent / "tend"
        lines = [
            self.style.SUCCESS(f"Tend is running at {url}"),
            "",
            "  To begin, create your account:",
            f"    • in the browser: {url}/accounts/signup/",
        ]
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            lines.append(
                "      (no mail is sent: the confirmation email is saved as a file in "
                f"{settings.EMAIL_FILE_PATH}; open the newest one and follow its link)"
            )
        lines.append(
            f"    • or in another terminal: {tend} user create --email you@example.com"
            " (a verified account; the password is printed)"
        )
        if "demo" in get_commands():
            lines.append("    • or `make demo` for a demo account with example data")
        lines += [
            "",
            f"  Your data lives in {settings.DATA_DIR}. Back it up with `tend backup`, and keep",
            f"  the key file ({settings.TEND_KEK_FILE}) safe and separate: without it the data",
            "  cannot be read.",
            "  Stop with Ctrl+C.",
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    def _gunicorn(self, options: dict[str, Any]) -> NoReturn:
        """Become gunicorn, in a fresh interpreter.

        Migrating and collecting leave this process ~100 MB larger than serving needs, and
        every worker gunicorn forks would carry that for its whole life. exec keeps the process
        id, so the task worker still stops with the server.
        """
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            "4",
            # gunicorn's threaded worker, answering what it refuses (a URL too long) as a
            # problem document rather than an HTML page.
            "--worker-class",
            "tend.core.http_worker.ProblemThreadWorker",
            "--access-logfile",
            "-",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--graceful-timeout",
            "10",
            # No runtime control socket: it would be shared by every gunicorn of this user.
            "--no-control-socket",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter and arguments
