"""Settings for the test suite: the same code, fast hashing, immediate tasks, memory mail."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("TEND_DATA_DIR", tempfile.mkdtemp(prefix="tend-test-"))
os.environ.setdefault("TEND_TASKS_IMMEDIATE", "1")

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "insights": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "insights",
    },
}
# Rate limits are tested on their own, with the cache cleared around each test.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# A test-only app whose model carries encrypted fields (tend/core/tests/test_vault.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tend.core.tests.vaultapp"]  # noqa: F405

# The live server for browser tests runs in its own threads. With an in-memory SQLite database
# Django shares one connection between those threads and the test, so two concurrent requests
# (a page and the service worker's fetch, say) collide inside one transaction. A file database
# gives each thread its own connection, as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
