"""``python -m bench.serve_memory``: how much memory ``tend serve`` holds on a first start.

It starts ``python -m tend.cli serve`` (as ``make run`` does) in an empty data directory, so that
it migrates and collects static files first, waits until it answers, sends a few requests, and
prints the resident (RSS) and proportional (PSS, shared pages divided among their sharers) size
of the server and of each child: gunicorn's workers and the task worker. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PAGES = ("/healthz", "/", "/accounts/login/", "/sw.js")


def kilobytes(pid: int, path: str, field: str) -> int:
    for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def report(title: str, server: int) -> None:
    print(f"== {title}")
    children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
    for pid in [server, *map(int, children)]:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        role = "server" if pid == server else "web worker"
        if "tend.cli worker" in command:
            role = "task worker"
        rss = kilobytes(pid, "status", "VmRSS")
        pss = kilobytes(pid, "smaps_rollup", "Pss")
        print(f"{role:12} pid {pid:<8} RSS {rss / 1024:6.1f} MB   PSS {pss / 1024:6.1f} MB")


def get(url: str) -> None:
    # An error page is memory used too; only the sizes are measured here.
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            response.read()
    except urllib.error.HTTPError:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_memory", description=__doc__)
    parser.add_argument("--port", type=int, default=8190)
    options = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="tend-memory-")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TEND_", "DJANGO_"))}
    environment.pop("DATABASE_URL", None)
    environment.update(PORT=str(options.port), TEND_DATA_DIR=data_dir)
    with open(os.path.join(data_dir, "serve.log"), "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "tend.cli", "serve"], env=environment, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{options.port}"
    try:
        while True:
            if server.poll() is not None:
                sys.exit(f"tend serve stopped; see {data_dir}/serve.log")
            try:
                get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        report("after a first start", server.pid)
        for _ in range(6):
            for page in PAGES:
                get(base + page)
        report(f"after {6 * len(PAGES)} requests", server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
