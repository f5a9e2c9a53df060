"""Web Push: the server's VAPID key pair (generated into the data directory) and sending.

The private key lives in ``$TEND_DATA_DIR/vapid_private.pem`` with mode 0600, generated on first
use like the other secrets (``TEND_VAPID_PRIVATE_KEY[_FILE]`` overrides it with a PEM). Payloads
are content-free: a code, the calm sentence for it and a link into Tend.
"""

from __future__ import annotations

import base64
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone

from config.env import read_secret, write_private_file
from tend.notifications.messages import message_for
from tend.notifications.models import PushSubscription

logger = logging.getLogger(__name__)

VAPID_FILE = "vapid_private.pem"


def _key_path() -> Path:
    return Path(settings.DATA_DIR) / VAPID_FILE


@lru_cache(maxsize=1)
def vapid() -> Any:
    """The server's VAPID key (a py_vapid ``Vapid01``), created on first use."""
    from py_vapid import Vapid01

    pem = read_secret("TEND_VAPID_PRIVATE_KEY")
    if pem is None:
        path = _key_path()
        if not path.exists():
            fresh = Vapid01()
            fresh.generate_keys()
            write_private_file(path, fresh.private_pem().decode())
        pem = path.read_text()
    return Vapid01.from_pem(pem.encode())


def public_key() -> str:
    """The application server key for ``PushManager.subscribe()``: base64url, no padding."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def payload(code: str, link: str) -> str:
    return json.dumps({"title": "Tend", "body": message_for(code), "url": link or "/"})


def _contact() -> str:
    """The VAPID ``sub`` claim: the sender address, else the site's URL."""
    address = settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip("> ")
    return f"mailto:{address}" if "@" in address else settings.SITE_URL


def send_push(subscription: PushSubscription, data: str) -> bool:
    """Send one push message; return whether the push service took it.

    A subscription the push service says is gone is deleted. Any other failure (a refusal, a
    timeout, a lost connection) is noted on the device and logged by kind only, never with the
    message, so that one failing device never fails the reminder and the others still get it.
    """
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=data,
            vapid_private_key=vapid(),
            vapid_claims={"sub": _contact()},
            ttl=6 * 3600,
            timeout=10,
        )
    except Exception as error:
        status = getattr(getattr(error, "response", None), "status_code", None)
        if isinstance(error, WebPushException) and status in (404, 410):
            subscription.delete()
            return False
        PushSubscription.objects.filter(id=subscription.id).update(last_error_at=timezone.now())
        logger.warning("Push to device %s failed with %s", subscription.id, type(error).__name__)
        return False
    return True
