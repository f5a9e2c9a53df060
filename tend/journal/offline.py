"""The service worker that keeps the capture page usable without a network.

The worker's script is rendered from a template rather than served from /static/ for two
reasons: a worker may only control pages under the folder its script comes from (so it must be
served from the site root to cover /journal/new/), and whitenoise's manifest storage renames
static files by their content, so the list of files to keep offline must use the names the pages
actually ask for. The cache version is a digest of those names and of the files' bytes: when any
of them changes, the script changes, the browser installs the new worker and old caches go.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# What the capture page loads. Anything else a page asks for under /static/ is kept the first
# time it is fetched, and worker.js asks the worker to keep what the page actually used.
SHELL_STATIC = (
    "tend/tend.css",
    "tend/app.js",
    "tend/icon.svg",
    "tend/worker.js",
    "journal/journal.css",
    "journal/journal.js",
    "journal/offline.js",
    # The practices' library and players hold nothing personal either (tend/practices).
    "practices/practices.css",
    "practices/player.js",
)


def _version(static_urls: list[str]) -> str:
    digest = hashlib.sha256()
    for name, url in zip(SHELL_STATIC, static_urls, strict=True):
        digest.update(url.encode())
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:16]


def practice_pages() -> list[str]:
    """The library and each catalogue practice's player: kept when opened, for offline use."""
    from tend.practices.catalogue import PRACTICES

    players = [reverse("practices:player", args=[p.code]) for p in PRACTICES]
    return [reverse("practices:index"), *players]


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    static_urls = [static(name) for name in SHELL_STATIC]
    capture = reverse("journal:capture")
    config = {
        "version": _version(static_urls),
        "static": static_urls,
        # The folder itself, from the setting: the manifest storage has no entry for "" (asking
        # it is a ValueError, which answered 500 here under `tend serve`).
        "staticPrefix": urlsplit(settings.STATIC_URL).path,
        "capture": capture,
        "pages": [capture, capture + "?kind=glimmer"],
        "practicePages": practice_pages(),
        "logout": reverse("account_logout"),
    }
    response = render(
        request,
        "journal/sw.js",
        # Only our own URLs go in here; json.dumps keeps them valid JavaScript.
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on every visit; never let a cache answer for it.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
