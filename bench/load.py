"""The load: N threads, each with one keep-alive connection, for a fixed time after a warm-up."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field

from bench.targets import Target


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    # CPU seconds spent meanwhile by the gunicorn workers, the database's server processes
    # (PostgreSQL backends; SQLite runs inside the workers) and this client, when measured.
    cpu_s: dict[str, float] = field(default_factory=dict)
    # Writing SQL statements the server ran, from its X-Bench-DB-Writes header (TEND_BENCH).
    db_writes: int = 0

    @property
    def throughput(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def merged(self, other: Result) -> Result:
        return Result(
            name=self.name,
            requests=self.requests + other.requests,
            errors=self.errors + other.errors,
            seconds=self.seconds + other.seconds,
            latencies_ms=self.latencies_ms + other.latencies_ms,
            db_writes=self.db_writes + other.db_writes,
            cpu_s={
                k: self.cpu_s.get(k, 0.0) + other.cpu_s.get(k, 0.0)
                for k in self.cpu_s.keys() | other.cpu_s.keys()
            },
        )

    def cpu_ms_per_request(self, part: str) -> float:
        """CPU milliseconds ``part`` spent per successful request (nan when not measured)."""
        done = self.requests - self.errors
        if part not in self.cpu_s or not done:
            return float("nan")
        return self.cpu_s[part] / done * 1000

    @property
    def db_writes_per_request(self) -> float:
        done = self.requests - self.errors
        return self.db_writes / done if done else float("nan")

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]


class _Worker(threading.Thread):
    def __init__(
        self,
        *,
        target: Target,
        host: str,
        port: int,
        path: str,
        headers: dict[str, str],
        deadline: float,
        offset: int,
    ) -> None:
        super().__init__(daemon=True)
        self.target = target
        self.host = host
        self.port = port
        self.path = path
        self.headers = headers
        self.deadline = deadline
        self.n = offset
        self.latencies: list[float] = []
        self.errors = 0
        self.db_writes = 0
        self.error_kinds: dict[str, int] = {}

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def run(self) -> None:
        conn = self._connect()
        # Bounded by the deadline: the loop checks it before every request.
        while time.perf_counter() < self.deadline:
            body = self.target.body(self.n) if self.target.body else None
            headers = self.headers
            if self.target.headers is not None:
                headers = {**headers, **self.target.headers(self.n)}
            self.n += 1
            started = time.perf_counter()
            try:
                conn.request(self.target.method, self.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                self.db_writes += int(response.getheader("X-Bench-DB-Writes") or 0)
            except (OSError, http.client.HTTPException) as error:
                status = 0
                kind = type(error).__name__
                self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
                conn.close()
                conn = self._connect()
            self.latencies.append((time.perf_counter() - started) * 1000)
            if status not in self.target.ok:
                self.errors += 1
                if status:
                    key = f"HTTP {status}"
                    self.error_kinds[key] = self.error_kinds.get(key, 0) + 1
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = self._connect()
        conn.close()


def drive(
    target: Target,
    *,
    host: str,
    port: int,
    path: str,
    token: str | None,
    concurrency: int,
    cookie: str | None = None,
    seconds: float,
) -> tuple[Result, dict[str, int]]:
    """Send requests from ``concurrency`` threads for ``seconds``; return what was measured."""
    headers = {"Content-Type": target.content_type, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    deadline = started + seconds
    workers = [
        _Worker(
            target=target,
            host=host,
            port=port,
            path=path,
            headers=headers,
            deadline=deadline,
            offset=i * 10_000_000,
        )
        for i in range(concurrency)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        # A request in flight at the deadline may take up to its socket timeout.
        worker.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - started
    latencies = [ms for worker in workers for ms in worker.latencies]
    kinds: dict[str, int] = {}
    for worker in workers:
        for kind, count in worker.error_kinds.items():
            kinds[kind] = kinds.get(kind, 0) + count
    result = Result(
        name=target.name,
        requests=len(latencies),
        errors=sum(w.errors for w in workers),
        seconds=elapsed,
        latencies_ms=latencies,
        db_writes=sum(w.db_writes for w in workers),
    )
    return result, kinds
