"""Invitation secrets: 256 random bits, shown once in the link, stored only as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

INVITE_PREFIX = "inv_"


def new_secret() -> str:
    return INVITE_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # Bounded before hashing: a link carries at most a few dozen characters.
    return hashlib.sha256(secret[:200].encode("utf-8")).hexdigest()
