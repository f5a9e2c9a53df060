"""Fixtures every test may use: the personas, signed-in clients, and real Chromium.

The personas: **alice** owns the data, **bob** is her partner, **carol** is a practitioner and
**mallory** is a stranger. Connections between them arrive with the connections issue; until
then bob and carol are, to the access layer, as much strangers as mallory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.core.cache import caches
from django.test import Client

from tend.accounts.models import User
from tend.accounts.tests.factories import PASSWORD, UserFactory

CHROMIUM = os.environ.get("TEND_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    # Rate-limit counters live in the cache, kept maps in "insights"; each test starts with none.
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db: Any) -> User:
    return cast(User, UserFactory(email="alice@example.test", display_name="Alice"))


@pytest.fixture
def bob(db: Any) -> User:
    return cast(User, UserFactory(email="bob@example.test", display_name="Bob"))


@pytest.fixture
def carol(db: Any) -> User:
    return cast(User, UserFactory(email="carol@example.test", display_name="Carol"))


@pytest.fixture
def mallory(db: Any) -> User:
    return cast(User, UserFactory(email="mallory@example.test", display_name="Mallory"))


@pytest.fixture
def personas(alice: User, bob: User, carol: User, mallory: User) -> dict[str, User | None]:
    return {"anonymous": None, "alice": alice, "bob": bob, "carol": carol, "mallory": mallory}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return client_for(alice)


# ---- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (to read the outbox or check rows) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps`.")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield instance
        instance.close()


def new_page(browser: Any, viewport: dict[str, int] = PHONE, **kwargs: Any) -> Any:
    context = browser.new_context(viewport=viewport, **kwargs)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    return page


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture
def desktop_page(browser: Any) -> Iterator[Any]:
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


SCREENSHOTS = os.environ.get("TEND_SCREENSHOTS", "artifacts/screenshots")


def screenshot(page: Any, name: str) -> None:
    """Save a full-page screenshot under artifacts/screenshots (kept by .ci/run)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


SERIOUS = frozenset({"serious", "critical"})
EVERY_IMPACT = frozenset({"minor", "moderate", "serious", "critical"})


def axe_problems(page: Any, impacts: frozenset[str] = SERIOUS) -> list[str]:
    """Run axe-core on the page and describe each violation of the given impacts (by default
    serious or critical).

    Each line names the rule, its impact and up to four offending nodes with axe's own message,
    so a failure says what to fix without opening the page.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(
            f"{n['target']} {n['any'][0].get('message', '') if n.get('any') else ''}"
            for n in v["nodes"][:4]
        )
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]


def assert_accessible(page: Any, impacts: frozenset[str] = SERIOUS) -> None:
    """Run axe-core on the page and fail on any violation of the given impacts (by default
    serious or critical; EVERY_IMPACT for a page held to all of axe's rules)."""
    problems = axe_problems(page, impacts)
    assert not problems, "axe-core found:\n" + "\n".join(f"- {p}" for p in problems)
