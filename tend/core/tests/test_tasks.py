from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY, db_task

from tend.core import tasks
from tend.core.models import AuditEvent

ran: list[str] = []


@db_task()
def remember(label: str) -> None:
    # Reads the database, as a real task would: the row must already be committed and visible.
    ran.append(f"{label}:{AuditEvent.objects.filter(action=label).count()}")


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    ran.clear()
    saved = dict(tasks._tick_hooks)
    tasks._tick_hooks.clear()
    yield
    tasks._tick_hooks.clear()
    tasks._tick_hooks.update(saved)


def test_tasks_run_immediately_in_the_test_suite() -> None:
    assert HUEY.immediate


def test_enqueue_on_commit_runs_the_task_after_the_transaction_commits(
    transactional_db: Any,
) -> None:
    with transaction.atomic():
        AuditEvent.objects.create(action="committed")
        tasks.enqueue_on_commit(remember, "committed")
        assert ran == []  # not yet: the row is not committed
    assert ran == ["committed:1"]


def test_enqueue_on_commit_sends_nothing_when_the_transaction_rolls_back(
    transactional_db: Any,
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        AuditEvent.objects.create(action="rolled-back")
        tasks.enqueue_on_commit(remember, "rolled-back")
        raise RuntimeError("the request failed")
    assert ran == []
    assert not AuditEvent.objects.filter(action="rolled-back").exists()


def test_enqueue_on_commit_outside_a_transaction_runs_at_once(transactional_db: Any) -> None:
    tasks.enqueue_on_commit(remember, label="now")
    assert ran == ["now:0"]


def test_the_tick_runs_every_registered_hook(db: Any) -> None:
    @tasks.on_tick
    def first() -> None:
        ran.append("first")

    @tasks.on_tick
    def second() -> None:
        ran.append("second")

    tasks.tick()
    assert ran == ["first", "second"]


def test_the_tick_survives_a_failing_hook_and_logs_only_its_name(
    db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    @tasks.on_tick
    def broken() -> None:
        raise ValueError("Alice wrote: my private words")

    @tasks.on_tick
    def healthy() -> None:
        ran.append("healthy")

    with caplog.at_level(logging.ERROR, logger="tend.core.tasks"):
        failed = tasks.run_tick_hooks()
        tasks.tick()

    assert ran == ["healthy", "healthy"]
    assert failed == [tasks.hook_name(broken)]
    assert "broken" in caplog.text and "ValueError" in caplog.text
    assert "private words" not in caplog.text


def test_registering_the_same_hook_twice_runs_it_once(db: Any) -> None:
    def hook() -> None:
        ran.append("once")

    tasks.on_tick(hook)
    tasks.on_tick(hook)
    tasks.tick()
    assert ran == ["once"]


def test_the_worker_finds_the_tick_among_every_apps_tasks() -> None:
    # `tend worker` (djhuey's run_huey) imports each installed app's tasks module this way.
    autodiscover_modules("tasks")
    periodic = {HUEY._registry.task_to_string(type(t)) for t in HUEY._registry.periodic_tasks}
    assert "tend.core.tasks.tick" in periodic


def test_the_worker_imports_the_tasks_module_of_every_app() -> None:
    autodiscover_modules("tasks")
    with_tasks = [
        f"{app.name}.tasks"
        for app in apps.get_app_configs()
        if app.name.startswith("tend.") and importlib.util.find_spec(f"{app.name}.tasks")
    ]
    assert "tend.core.tasks" in with_tasks
    assert [name for name in with_tasks if name not in sys.modules] == []
