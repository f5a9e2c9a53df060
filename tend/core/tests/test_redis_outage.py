"""Redis down degrades, never 500s: a proxy in front of a real Redis, cut and restored mid-run.

These tests run the app in-process with the settings ``REDIS_URL`` gives (Django's cache on
Redis through ``DegradingRedisCache``, a ``RedisHuey`` queue) by overriding ``CACHES`` and the
queued task, and point them at a small TCP proxy in front of a real Redis. Cutting the proxy
closes every open connection and refuses new ones, which is what a stopped Redis looks like to
the app; restoring it lets connections through again.

They need a Redis: ``TEND_TEST_REDIS_URL`` (default redis://127.0.0.1:6379/4, a database of its
own: the tests delete what they wrote under their own key prefix). Without one they are
skipped, unless ``TEND_TEST_REDIS_REQUIRED=1`` (as in .ci/run), which makes that a failure.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from django.core import mail
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings
from huey import RedisHuey

from tend.accounts.models import User
from tend.api.auth import FAILED_BEARER_LIMIT
from tend.api.services import token_create
from tend.core import outage
from tend.core.cache import outage_for, reset_outages
from tend.core.tasks import queue_outage
from tend.journal.models import Moment
from tend.notifications.models import Reminder
from tend.notifications.services import notify

UPSTREAM_URL = os.environ.get("TEND_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
PROXY_PORT = int(os.environ.get("TEND_TEST_REDIS_PROXY_PORT", "8251"))
# Nothing listens here: a Redis that is simply not there.
CLOSED_PORT = int(os.environ.get("TEND_TEST_REDIS_CLOSED_PORT", "8252"))


class CuttableProxy:
    """A TCP proxy the test can cut (like stopping Redis) and restore (like starting it)."""

    def __init__(self, port: int, upstream: tuple[str, int]) -> None:
        self.port = port
        self.upstream = upstream
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.05)
        self._listener = listener
        self._stop = threading.Event()
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener, self._stop), daemon=True
        )
        self._acceptor.start()

    def _accept(self, listener: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            upstream = socket.create_connection(self.upstream)
            with self._lock:
                self._sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for each in (source, target):
            _close(each)

    def cut(self) -> None:
        """Refuse new connections and drop the open ones, as a stopped Redis would."""
        self._stop.set()
        if self._acceptor is not None:
            self._acceptor.join()  # it polls every 50 ms; then the port is free at once
            self._acceptor = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for each in self._sockets:
                _close(each)
            self._sockets.clear()

    def restore(self) -> None:
        self.start()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _upstream() -> redis.Redis:
    return redis.Redis.from_url(UPSTREAM_URL, socket_connect_timeout=1)


@pytest.fixture
def upstream() -> redis.Redis:
    client = _upstream()
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("TEND_TEST_REDIS_REQUIRED") == "1":
            pytest.fail(f"No Redis at {UPSTREAM_URL}, and TEND_TEST_REDIS_REQUIRED=1.")
        pytest.skip(f"No Redis at {UPSTREAM_URL} (set TEND_TEST_REDIS_URL).")
    return client


@pytest.fixture
def proxy(upstream: redis.Redis) -> Iterator[CuttableProxy]:
    parts = urlsplit(UPSTREAM_URL)
    running = CuttableProxy(PROXY_PORT, (parts.hostname or "127.0.0.1", parts.port or 6379))
    running.start()
    yield running
    running.cut()


def _through(port: int) -> str:
    """The upstream URL (same database) with the proxy's port."""
    parts = urlsplit(UPSTREAM_URL)
    return parts._replace(netloc=f"127.0.0.1:{port}").geturl()


@pytest.fixture
def prefix(upstream: redis.Redis) -> Iterator[str]:
    value = f"tend-outage-test-{uuid.uuid4().hex[:8]}"
    yield value
    for key in upstream.scan_iter(match=f"*{value}*"):
        upstream.delete(key)


def redis_caches(url: str, prefix: str) -> dict[str, dict[str, Any]]:
    """CACHES as config/settings.py makes them when REDIS_URL is set."""
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    backend = "tend.core.cache.DegradingRedisCache"
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": options,
        },
        "insights": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}-insights",
            "OPTIONS": options,
        },
    }


@pytest.fixture
def on_redis(proxy: CuttableProxy, prefix: str) -> Iterator[CuttableProxy]:
    reset_outages()
    queue_outage.reset()
    with override_settings(CACHES=redis_caches(_through(proxy.port), prefix)):
        yield proxy
    reset_outages()
    queue_outage.reset()


def outage_lines(caplog: pytest.LogCaptureFixture, words: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tend.outage" and words in r.msg]


# --- The drill -------------------------------------------------------------------------------


def test_redis_stopped_mid_run_captures_succeed_and_nothing_is_lost(
    on_redis: CuttableProxy,
    alice: User,
    password: str,
    upstream: redis.Redis,
    prefix: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Try Redis again on every request, so that recovery is seen at the first one after the
    # restore (the pause between tries is tested on its own below).
    monkeypatch.setattr(outage, "RETRY_AFTER_SECONDS", 0.0)
    caplog.set_level(logging.INFO, logger="tend.outage")
    _, secret = token_create(user=alice, name="Phone shortcut", scope="write")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    confirmed: dict[str, str] = {}  # idempotency key -> moment id the server confirmed

    def capture(number: int, key: str | None = None) -> Any:
        key = key or str(uuid.uuid4())
        response = api.post(
            "/api/v1/moments",
            json.dumps({"states": ["freeze"], "cue": f"moment {number}", "intensity": 5}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert response.status_code in (200, 201), (number, response.status_code)
        confirmed.setdefault(key, response.json()["id"])
        return response

    def wrong_token() -> int:
        return Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer tend_wrong").status_code

    # Redis up: captures, and a wrong token is counted in Redis.
    for number in range(5):
        capture(number)
    assert wrong_token() == 401
    assert any(upstream.scan_iter(match=f"*{prefix}*bearer-failures*"))

    on_redis.cut()
    # Redis down: capturing, retrying, reading, the map, signing in all keep working.
    down_keys = []
    for number in range(5, 15):
        down_keys.append(str(uuid.uuid4()))
        assert capture(number, down_keys[-1]).status_code == 201
    retried = capture(5, down_keys[0])  # a client retrying what it sent
    assert retried.status_code == 200 and retried.json()["id"] == confirmed[down_keys[0]]
    listed = api.get("/api/v1/moments?limit=200")
    assert listed.status_code == 200 and len(listed.json()["items"]) == 15
    assert api.get("/api/v1/insights/map").status_code == 200
    assert wrong_token() == 401  # refused, though it cannot be counted: never a 500
    browser = Client()
    signed_in = browser.post("/accounts/login/", {"login": alice.email, "password": password})
    assert signed_in.status_code == 302 and browser.session["_auth_user_id"] == str(alice.pk)
    assert browser.get("/insights/").status_code == 200
    assert len(outage_lines(caplog, "unreachable")) == 1  # said once, not per request

    on_redis.restore()
    for number in range(15, 20):
        assert capture(number).status_code == 201
    # Counting works again: the limit on wrong tokens is back, and the return was said once.
    statuses = [wrong_token() for _ in range(FAILED_BEARER_LIMIT + 1)]
    assert statuses[-1] == 429
    assert len(outage_lines(caplog, "reachable again")) == 1

    # Every moment the server confirmed is stored, once.
    stored = list(Moment.objects.filter(author=alice).values_list("id", flat=True))
    assert len(confirmed) == 20
    assert sorted(str(each) for each in stored) == sorted(confirmed.values())


# --- The parts -------------------------------------------------------------------------------


def test_while_redis_is_down_the_cache_misses_instead_of_failing(
    on_redis: CuttableProxy, db: Any
) -> None:
    cache = caches["default"]
    cache.set("kept", 41)
    assert cache.get("kept") == 41
    on_redis.cut()
    outage_for(_through(on_redis.port)).reset()  # try at once, without the pause
    assert cache.get("kept", "missing") == "missing"
    assert cache.add("lock", 1) is True  # allauth's lock: taken, so sign-in is not refused
    with pytest.raises(ValueError, match="not found"):
        cache.incr("kept")
    cache.set("other", 1)
    assert cache.get_many(["kept", "other"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("kept") is False
    assert cache.delete("kept") is False
    assert caches["insights"].get("map", "miss") == "miss"


def test_after_a_failure_redis_is_not_tried_again_for_a_moment(
    prefix: str, monkeypatch: pytest.MonkeyPatch, db: Any
) -> None:
    from django.core.cache.backends.redis import RedisCacheClient

    calls: list[str] = []
    real_get = RedisCacheClient.get

    def counting_get(self: Any, key: Any, default: Any) -> Any:
        calls.append(key)
        return real_get(self, key, default)

    monkeypatch.setattr(RedisCacheClient, "get", counting_get)
    url = _through(CLOSED_PORT)
    now = [1000.0]
    state = outage_for(url)
    state.reset()
    monkeypatch.setattr(state, "clock", lambda: now[0])
    with override_settings(CACHES=redis_caches(url, prefix)):
        cache = caches["default"]
        assert cache.get("a") is None
        assert cache.get("b") is None  # answered without trying: Redis failed a moment ago
        assert len(calls) == 1
        now[0] += outage.RETRY_AFTER_SECONDS + 0.1
        assert cache.get("c") is None  # tried again
        assert len(calls) == 2
    state.reset()


def test_a_task_that_cannot_be_queued_never_fails_what_was_committed(
    on_redis: CuttableProxy,
    alice: User,
    prefix: str,
    upstream: redis.Redis,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """A notice scheduled while the queue is down is stored, and the tick delivers it."""
    monkeypatch.setattr(outage, "RETRY_AFTER_SECONDS", 0.0)
    caplog.set_level(logging.INFO, logger="tend.outage")
    queue = RedisHuey(
        prefix, url=_through(on_redis.port) + "?socket_connect_timeout=1", immediate=False
    )
    queued_deliver_now = queue.task(name="deliver_now")(lambda: None)
    monkeypatch.setattr("tend.notifications.tasks.deliver_now", queued_deliver_now)
    try:
        on_redis.cut()
        for number in range(3):
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                notify(recipient=alice, code="checkin.due", key=f"outage-test:{number}")
        assert Reminder.objects.filter(recipient=alice).count() == 3
        assert len(outage_lines(caplog, "unreachable")) == 1
        # The minute tick sends what the queue could not hurry along.
        from tend.notifications.delivery import deliver_due

        deliver_due()
        assert Reminder.objects.filter(recipient=alice, sent_at=None).count() == 0
        assert len(mail.outbox) == 3

        on_redis.restore()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notify(recipient=alice, code="checkin.due", key="outage-test:back")
        assert queue.pending_count() == 1  # queued again once Redis is back
        assert len(outage_lines(caplog, "reachable again")) == 1
    finally:
        if on_redis._listener is not None:
            queue.flush()
