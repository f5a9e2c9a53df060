"""Tend's one settings module, driven by the environment.

The defaults run a fresh checkout on SQLite with an in-process task queue; ``DATABASE_URL`` moves
the data to PostgreSQL and ``REDIS_URL`` moves the cache and the task queue to Redis. See
docs/ARCHITECTURE.md and the README for every variable.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, secret_or_generated, served_url
from tend.core.languages import offered_languages

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TEND_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

TEND_ENV = env_str("TEND_ENV", "development")
PRODUCTION = TEND_ENV == "production"
DEBUG = env_bool("TEND_DEBUG", default=False)

SECRET_KEY = secret_or_generated("TEND_SECRET_KEY", DATA_DIR, "secret_key")
# Old secret keys still accepted for signatures while a new one takes over (comma-separated).
# Several app servers must share TEND_SECRET_KEY: tend/core/preflight.py checks it at start.
SECRET_KEY_FALLBACKS = env_list("TEND_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("TEND_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("TEND_CSRF_TRUSTED_ORIGINS", [])
# Links in emails and push messages. Unset, they name the address `tend serve` listens on (HOST
# and PORT, as `make run` sets them); serve warns when a production server leaves it unset.
SITE_URL_CONFIGURED = bool(env_str("TEND_SITE_URL"))
SITE_URL = (
    env_str("TEND_SITE_URL") or served_url(env_str("HOST", "127.0.0.1"), env_int("PORT", 8000))
).rstrip("/")

# The key-encryption key wraps every person's data key; it never lives in the database.
# TEND_KEK holds "key-id:base64-key" entries (comma-separated, newest first); TEND_KEK_FILE or
# the generated data-directory file holds one entry per line. See tend/core/vault.py.
TEND_KEK_FILE = Path(env_str("TEND_KEK_FILE", str(DATA_DIR / "kek.keys")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "tend.core",
    "tend.accounts",
    "tend.api",
    "tend.journal",
    "tend.insights",
    "tend.practices",
    "tend.connections",
    "tend.careplans",
    "tend.rituals",
    "tend.notifications",
    "tend.booking",
]

MIDDLEWARE = [
    "tend.core.middleware.AccessRouteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files (compressed on disk) never pass through it; above every
    # middleware that reads or changes a response's body.
    "tend.core.compression.TextCompressionMiddleware",
    "tend.core.middleware.SecurityHeadersMiddleware",
    "tend.api.middleware.ApiBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware, but writing a session's activity once a minute at most.
    "tend.accounts.middleware.SessionActivityMiddleware",
    "tend.accounts.middleware.TimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE for <html lang>, and the offered LANGUAGES.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tend.core.context_processors.tend",
            ],
            # {{ value|when:"short_date" }}: dates in the reader's language (tend/core/dates.py).
            "builtins": ["tend.core.templatetags.tend_dates"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=0 if env_bool("TEND_DB_POOL", True) else 60,
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "TEND_DB_POOL", True
    ):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("TEND_DB_POOL_MIN", 1),
            "max_size": env_int("TEND_DB_POOL_MAX", 10),
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "tend.sqlite3"),
            # Each thread keeps its connection between requests: opening one runs the PRAGMAs
            # below and registers Django's SQL functions, which cost more than a small write.
            "CONN_MAX_AGE": env_int("TEND_DB_CONN_MAX_AGE", 600),
            "OPTIONS": {
                # WAL lets readers work beside one writer; FULL sync makes a confirmed write
                # survive a power cut; IMMEDIATE takes the write lock up front so that two
                # writers wait for each other instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=FULL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
# The statements run on every request (the token look-up, the audit INSERT) are prepared on
# PostgreSQL; off for a pooler in transaction mode that cannot keep them (tend/core/prepared.py).
TEND_DB_PREPARED_STATEMENTS = env_bool("TEND_DB_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and tasks ------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# "insights" keeps trigger maps and their monthly counts (tend/insights/kept.py, tallies.py). It is
# a cache of its own so that their churn (a new map after every write) never culls the rate-limit
# counters kept in "default".
CACHES: dict[str, dict[str, Any]]
# While Redis is down these caches miss and drop writes instead of failing the request
# (tend/core/cache.py); the timeouts keep a Redis that does not answer from holding requests.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "tend.core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "insights": {
            "BACKEND": "tend.core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "insights",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
    }
else:
    # A file cache is shared by every gunicorn worker, so rate limits hold across them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        },
        # In each worker's memory: a file cache lists its whole directory on every write to
        # decide whether to cull, which with a few thousand maps and months cost 8 ms a write.
        # Each worker counts a map once; the keys come from the database, so none is stale.
        "insights": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "insights",
            # A kept map is about 30 KB, a month's counts up to about 100 KB: up to ~50 MB.
            "OPTIONS": {"MAX_ENTRIES": env_int("TEND_INSIGHTS_CACHE_ENTRIES", 500)},
        },
    }

HUEY_IMMEDIATE = env_bool("TEND_TASKS_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "tend",
        # A Redis that does not answer holds an enqueue for 2 s, not the system's connect timeout.
        "url": REDIS_URL + ("&" if "?" in REDIS_URL else "?") + "socket_connect_timeout=2",
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("TEND_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "tend",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("TEND_WORKERS", 2), "worker_type": "thread"},
    }

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "landing"
ACCOUNT_ADAPTER = "tend.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Tend · "
# "key" in login_failed is the account *and* the client's address (AccountAdapter), so that
# failing on purpose from elsewhere cannot lock anyone out of their own account.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Tend"
MFA_TOTP_TOLERANCE = 1
# Browsers allow WebAuthn on http://localhost; only a development server needs the exemption.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = True
USERSESSIONS_ADAPTER = "tend.accounts.adapter.UserSessionsAdapter"

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("TEND_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("TEND_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TEND_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("TEND_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = (
    secret_or_generated("TEND_EMAIL_HOST_PASSWORD", DATA_DIR, "email_password")
    if env_str("TEND_EMAIL_HOST_USER")
    else ""
)
EMAIL_USE_TLS = env_bool("TEND_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("TEND_FROM_EMAIL", "Tend <tend@localhost>")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
# English and each language whose compiled catalogue (.mo) is committed, which is done once its
# .po is complete (tend/core/languages.py). The .mo files sit beside their .po files in git, so
# no gettext tools are needed to run Tend; tend/core/tests/test_translations.py checks that an
# offered language's catalogue is complete and that its .mo matches its .po.
LANGUAGES = offered_languages()
LOCALE_PATHS = [BASE_DIR / "tend" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tend" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

# --- Security -------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("TEND_MAX_BODY_BYTES", 256 * 1024)
API_MAX_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = False  # htmx and the API docs read it to send X-CSRFToken.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The reverse proxies in front of Tend (addresses or networks, comma-separated). Only a request
# that comes from one of them has its X-Forwarded-For believed; by default none is trusted and
# the client is REMOTE_ADDR. Rate limits count per client address (tend/core/addresses.py).
TEND_TRUSTED_PROXIES = env_list("TEND_TRUSTED_PROXIES", [])
for _proxy in TEND_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TEND_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network. List the "
            "addresses of your reverse proxies, comma-separated, such as 10.0.0.2,10.1.0.0/16."
        ) from None
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("TEND_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("TEND_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("TEND_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a one-way commitment for the operator's whole domain; it is theirs to
        # make with TEND_HSTS_PRELOAD=1, so its reminder is not a deploy failure.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_NAME = "__Host-tend_session"
    CSRF_COOKIE_NAME = "__Host-tend_csrf"

DEFAULT_EXCEPTION_REPORTER_FILTER = "tend.core.logging.PrivateExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private": {"()": "tend.core.logging.PrivateDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["private"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("TEND_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Crisis lines are the operator's to configure (no country is assumed). JSON list of
# {"name": ..., "phone": ..., "url": ..., "region": ...}.
TEND_CRISIS_LINES = env_str("TEND_CRISIS_LINES", "[]")
# Where the quick-exit control leads: a neutral page, configurable by the operator.
TEND_QUICK_EXIT_URL = env_str("TEND_QUICK_EXIT_URL", "https://www.wikipedia.org/")
# Booking's external calendars are fetched only from public addresses (SSRF); an operator whose
# calendar server is on a private network allows those (tend/booking/busyfeed.py).
TEND_BOOKING_FEED_ALLOW_PRIVATE = env_bool("TEND_BOOKING_FEED_ALLOW_PRIVATE", False)
TEND_BENCH = env_bool("TEND_BENCH", False)
if TEND_BENCH:
    # Reports each request's database writes to the benchmark harness (bench/load.py).
    MIDDLEWARE.insert(0, "tend.core.bench.DatabaseWritesMiddleware")
