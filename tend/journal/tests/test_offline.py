"""The service worker script and what the pages give offline.js (the browser side is in
test_offline_browser.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client

from tend.journal import offline

pytestmark = pytest.mark.django_db


def worker_config(response: Any) -> dict[str, Any]:
    match = re.search(r"^const CONFIG = (.*);$", response.content.decode(), re.MULTILINE)
    assert match, "the worker script carries its configuration"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def test_the_worker_is_served_from_the_root_for_everyone_and_never_from_a_cache() -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] in {"no-cache", "no-store"}


def test_the_worker_keeps_only_the_capture_pages(alice_client: Client) -> None:
    config = worker_config(alice_client.get("/sw.js"))
    # The timeline and moments hold what a person wrote; they are never kept on the device.
    assert config["pages"] == ["/journal/new/", "/journal/new/?kind=glimmer"]
    assert config["capture"] == "/journal/new/"


def test_the_worker_keeps_the_files_under_the_names_the_capture_page_asks_for(
    alice_client: Client,
) -> None:
    config = worker_config(alice_client.get("/sw.js"))
    page = alice_client.get("/journal/new/").content.decode()
    for name in (
        "tend/tend.css",
        "tend/app.js",
        "tend/worker.js",
        "journal/journal.css",
        "journal/offline.js",
    ):
        assert static(name) in config["static"]
        assert f'"{static(name)}"' in page


def test_a_changed_file_makes_a_new_worker_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = worker_config(Client().get("/sw.js"))["version"]
    changed = tmp_path / "app.js"
    changed.write_text("// a new release")
    real_find = offline.finders.find

    def find(name: str, *args: Any, **kwargs: Any) -> Any:
        return str(changed) if name == "tend/app.js" else real_find(name, *args, **kwargs)

    monkeypatch.setattr(offline.finders, "find", find)
    after = worker_config(Client().get("/sw.js"))["version"]
    assert after != before


def test_the_capture_page_gives_the_queue_its_owner_and_csrf_cookie_without_inline_script(
    alice: Any, alice_client: Client
) -> None:
    page = alice_client.get("/journal/new/").content.decode()
    assert f'data-user="{alice.pk}"' in page
    assert f'data-csrf-cookie="{settings.CSRF_COOKIE_NAME}"' in page
    assert 'data-api="/api/v1/moments"' in page
    # CSP allows no inline script: every script element loads a file.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []


@pytest.mark.parametrize("path", ["/journal/new/", "/journal/"])
def test_journal_pages_load_the_offline_script(alice_client: Client, path: str) -> None:
    assert static("journal/offline.js") in alice_client.get(path).content.decode()
