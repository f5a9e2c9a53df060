"""``tend worker``: run the task worker (huey consumer) with the periodic tick."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tend.core import preflight


def stop_with_parent(parent_pid: int) -> None:
    """Have Linux send SIGINT (huey's graceful stop) when ``tend serve`` dies, even by SIGKILL.

    ``serve`` becomes gunicorn (exec keeps its process id), so this is how its worker stops
    when gunicorn stops, normally or not, and no worker is left running on its own.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGINT)
    except (OSError, AttributeError):
        return  # Not Linux: Ctrl+C reaches the worker through the terminal's process group.
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        sys.exit(0)


class Command(BaseCommand):
    help = (
        "Run the background task worker (huey): every app's tasks, and the once-a-minute tick "
        "that runs the hooks registered with @on_tick. Stop it with Ctrl+C (SIGINT): it "
        "finishes the task in hand first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers", type=int, default=None, help="worker threads (default: $TEND_WORKERS or 2)"
        )
        parser.add_argument(
            "--stop-with-parent",
            type=int,
            default=None,
            metavar="PID",
            help="exit when process PID exits (used by `tend serve`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stop_with_parent"]:
            stop_with_parent(options["stop_with_parent"])
        preflight.refuse_unless_ready()
        extra: list[str] = []
        if options["workers"]:
            extra = ["--workers", str(options["workers"])]
        # run_huey imports every installed app's tasks module before it starts consuming.
        call_command("run_huey", *extra)
