"""Writes for notifications: scheduling reminders and notices, preferences, push devices."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import User
from tend.core import audit
from tend.core.tasks import enqueue_on_commit
from tend.notifications.messages import MESSAGES
from tend.notifications.models import Notification, Preferences, PushSubscription, Reminder


def reminder_schedule(
    *, recipient: User, code: str, key: str, due_at: dt.datetime, link: str = ""
) -> bool:
    """Schedule a reminder once per (recipient, key); return whether it was new.

    ``key`` is made of ids and times only. Scheduling the same key again does nothing, so
    periodic planners may run as often as they like.
    """
    if code not in MESSAGES:
        raise ValueError(f"unknown notification code {code!r}")
    _, created = Reminder.objects.get_or_create(
        recipient=recipient,
        dedupe_key=key,
        defaults={"code": code, "link": link, "due_at": due_at, "next_attempt_at": due_at},
    )
    return created


def notify(*, recipient: User, code: str, key: str, link: str = "") -> None:
    """Tell someone something now (quiet hours permitting), once per ``key``."""
    reminder_schedule(recipient=recipient, code=code, key=key, due_at=timezone.now(), link=link)
    from tend.notifications.tasks import deliver_now

    enqueue_on_commit(deliver_now)


def reminders_cancel(*, key_prefix: str, recipient: User | None = None) -> int:
    """Drop reminders not yet sent whose key starts with ``key_prefix``."""
    pending = Reminder.objects.filter(
        dedupe_key__startswith=key_prefix, sent_at=None, dropped_at=None
    )
    if recipient is not None:
        pending = pending.filter(recipient=recipient)
    return pending.update(dropped_at=timezone.now(), drop_reason="cancelled")


@transaction.atomic
def preferences_update(
    *,
    actor: User,
    email: bool,
    push: bool,
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
) -> Preferences:
    prefs, _ = Preferences.objects.get_or_create(user=actor)
    prefs.email, prefs.push = email, push
    prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
    prefs.save()
    audit.record(
        actor=actor,
        action="notifications.preferences_update",
        target=prefs,
        meta={"email": email, "push": push, "quiet": quiet_start is not None},
    )
    return prefs


@transaction.atomic
def push_subscribe(*, actor: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Add (or take over) a browser's push subscription for ``actor``."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": actor, "p256dh": p256dh, "auth": auth}
    )
    audit.record(actor=actor, action="notifications.push_subscribe", target=subscription)
    return subscription


@transaction.atomic
def push_unsubscribe(*, actor: User, subscription_id: uuid.UUID) -> bool:
    deleted, _ = PushSubscription.objects.filter(id=subscription_id, user=actor).delete()
    if deleted:
        audit.record(
            actor=actor, action="notifications.push_unsubscribe", meta={"id": subscription_id}
        )
    return bool(deleted)


def notifications_mark_read(*, actor: User, ids: list[uuid.UUID] | None = None) -> int:
    unread = Notification.objects.filter(recipient=actor, read_at=None)
    if ids is not None:
        unread = unread.filter(id__in=ids)
    return unread.update(read_at=timezone.now())


def notifications_mark_read_for(*, actor: User, link: str) -> int:
    """Mark read the actor's unread notices that lead to ``link``: opening the thing a notice
    is about is reading it, so the dot on Together goes once there is nothing new left."""
    return Notification.objects.filter(recipient=actor, read_at=None, link=link).update(
        read_at=timezone.now()
    )


def push_devices_forget(*, user: User) -> int:
    """Safety Check: remove every push subscription (a device may not be one's own)."""
    deleted, _ = PushSubscription.objects.filter(user=user).delete()
    return deleted
