"""gunicorn's refusals (a URL over its limit) are problem documents, as every API error is."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from gunicorn.http.errors import InvalidRequestLine, LimitRequestLine

from tend.core.http_worker import problem_response


def tiny_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """What the served app is does not matter here: gunicorn refuses before calling it."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


@pytest.fixture(scope="module")
def gunicorn_port() -> Iterator[int]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tend.core.tests.test_http_worker:tiny_app",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--threads",
            "2",
            "--worker-class",
            "tend.core.http_worker.ProblemThreadWorker",
            "--no-control-socket",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    try:
        port = None
        for line in server.stderr:
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match.group(1))
            if "Booting worker" in line:
                break
        assert port is not None, "gunicorn did not start"
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def raw_request(port: int, request: bytes) -> bytes:
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
                conn.sendall(request)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                return b"".join(chunks)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise


def test_a_url_over_gunicorns_limit_gets_a_problem_document(gunicorn_port: int) -> None:
    path = "/api/v1/moments?q=" + "a" * 5000
    answer = raw_request(gunicorn_port, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 "), head
    assert b"Content-Type: application/problem+json" in head
    problem = json.loads(body)
    assert problem["status"] == 414 and problem["type"] == "urn:tend:problem:uri-too-long"
    assert "aaaa" not in body.decode()


def test_a_url_under_the_limit_reaches_the_app(gunicorn_port: int) -> None:
    answer = raw_request(
        gunicorn_port, b"GET /short HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_other_refusals_are_left_to_gunicorn() -> None:
    assert problem_response(InvalidRequestLine("x")) is None
    assert problem_response(LimitRequestLine(5000, 4094)) is not None
