"""Helpers for tests that run ``tend`` as an operator would: in a subprocess, on a data directory
of its own, so the test database is never touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def tend(
    env: dict[str, str], *args: str, check: bool = True, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tend.cli *args``; with ``check``, a failure shows what it printed."""
    result = subprocess.run(
        [sys.executable, "-m", "tend.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"tend {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def operator_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """This environment without the test run's Tend settings, pointed at ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEND_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", TEND_DATA_DIR=str(data_dir), **extra)
    return env


def migrate(env: dict[str, str]) -> None:
    tend(env, "migrate", "--no-input", "--skip-checks", "-v", "0")
