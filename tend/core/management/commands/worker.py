"""``tend worker``: run the task worker (huey consumer) with the periodic tick."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background task worker (huey), including periodic work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=None, help="worker threads")

    def handle(self, *args: Any, **options: Any) -> None:
        extra: list[str] = []
        if options["workers"]:
            extra = ["--workers", str(options["workers"])]
        call_command("run_huey", *extra)
