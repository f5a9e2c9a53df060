"""Small typed helpers that read Tend's settings from the environment.

Secrets are read from ``NAME`` or from the file named by ``NAME_FILE`` (the Docker/systemd
convention), and otherwise generated once into the data directory with mode 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return int(value)


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def served_url(host: str, port: int) -> str:
    """The address ``tend serve`` answers on at ``host:port``, for links when none is configured.

    A wildcard address (0.0.0.0, ::) listens on every interface but cannot be visited, so such
    links name loopback instead.
    """
    if host in {"", "0.0.0.0", "::", "[::]"}:  # noqa: S104 - compared, never bound
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def read_secret(name: str) -> str | None:
    """Return the secret from ``NAME`` or ``NAME_FILE``, or None when neither is set."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return None


def write_private_file(path: Path, content: str) -> None:
    """Write a file only its owner can read, creating it atomically with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    os.replace(tmp, path)


def secret_or_generated(name: str, data_dir: Path, filename: str, nbytes: int = 48) -> str:
    """Read a secret from the environment, else from (or newly into) the data directory."""
    value = read_secret(name)
    if value:
        return value
    path = data_dir / filename
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(nbytes)
    write_private_file(path, value + "\n")
    return value
