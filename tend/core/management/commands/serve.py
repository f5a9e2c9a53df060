"""``tend serve``: migrate, collect static files, then serve Tend with gunicorn and a worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Prepare the database and static files, then serve Tend with gunicorn on "
        "127.0.0.1:$PORT (default 8000). The task worker runs as a child process that stops "
        "when the server stops (use --no-worker when workers run elsewhere)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="gunicorn worker processes (default: $WEB_CONCURRENCY or 2)",
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")
        parser.add_argument("--no-migrate", action="store_true", help="skip migrations")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        worker: subprocess.Popen[bytes] | None = None
        if not options["no_worker"] and not settings.HUEY.get("immediate"):
            worker = subprocess.Popen([sys.executable, "-m", "tend.cli", "worker"])  # noqa: S603

        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            self.style.SUCCESS(f"Tend is running at {url}")
            + f"\n  Data directory: {settings.DATA_DIR}"
            + "\n  Create an account at " + url + "/accounts/signup/"
            + " (verification mail lands in " + str(settings.EMAIL_FILE_PATH) + ")"
            + "\n  or run `make demo` for a demo account. Stop with Ctrl+C."
        )
        self.stdout.flush()
        try:
            self._gunicorn(options)
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _gunicorn(self, options: dict[str, Any]) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        sys.argv = [
            "gunicorn",
            "config.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            "--threads", "4",
            "--access-logfile", "-",
            # Access lines carry method, path and status only: no query strings, no bodies.
            "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(M)sms',
            "--graceful-timeout", "10",
        ]
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
