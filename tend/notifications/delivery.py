"""Delivering reminders: claimed once, retried with backoff, dropped when stale.

Any number of workers may call ``deliver_due()`` at once (the minute tick of several
``tend worker`` processes, or a task queued after a notice). Each claims a batch with one
conditional UPDATE that stamps its own ``claim_token`` on rows that are unclaimed or whose claim
is older than ``LEASE``; it then sends only rows that carry its token. A worker that dies
mid-batch leaves its unsent rows claimed, and once the lease has passed another worker claims
them again: nothing is lost, and rows already marked sent are never picked up again.

The one window left is outside any database: a worker killed after a push service or mail server
accepted a message but before ``sent_at`` was written would, after the lease, send that one
message again. The lease (10 minutes) is far longer than a batch takes (at most ``BATCH``
messages with 10-second timeouts), so a slow worker is never overtaken by a second one.

Timing rules:

- a reminder due during the person's quiet hours waits until they end (its in-app notice appears
  at once, silently, since it wakes nobody);
- a failed attempt is retried after 1, 5, 15, 60 and 180 minutes, then dropped ("failed");
- a reminder whose time to go out passed more than ``STALE_AFTER`` (6 hours) ago is dropped
  ("stale") instead of sent: "your check-in is today" is no help the next morning.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from tend.core.languages import spoken_to
from tend.notifications.messages import message_for
from tend.notifications.models import Notification, Preferences, PushSubscription, Reminder
from tend.notifications.push import payload, send_push
from tend.notifications.quiet import quiet_until

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
STALE_AFTER = dt.timedelta(hours=6)
BACKOFF_MINUTES = (1, 5, 15, 60, 180)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
BATCH = 50


def claim_batch(
    *, now: dt.datetime, limit: int = BATCH, lease: dt.timedelta = LEASE
) -> list[Reminder]:
    """Claim up to ``limit`` due reminders for this worker; return those it now holds."""
    token = uuid.uuid4()
    claimable = Reminder.objects.filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - lease),
        sent_at=None,
        dropped_at=None,
        next_attempt_at__lte=now,
    )
    # If another worker claimed every row we picked in between, pick again: stop only when
    # nothing claimable is left.
    while True:
        ids = list(claimable.order_by("next_attempt_at").values_list("id", flat=True)[:limit])
        if not ids:
            return []
        # The conditional UPDATE is the claim: a row another worker claimed in the meantime
        # no longer matches and keeps that worker's token.
        claimed = claimable.filter(id__in=ids).update(
            claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
        if claimed:
            return list(
                Reminder.objects.filter(id__in=ids, claim_token=token).select_related(
                    "recipient", "recipient__notification_preferences"
                )
            )


def _mine(reminder: Reminder) -> Q:
    return Q(id=reminder.id, claim_token=reminder.claim_token, sent_at=None)


def _in_app(reminder: Reminder) -> None:
    Notification.objects.get_or_create(
        reminder=reminder,
        defaults={
            "recipient_id": reminder.recipient_id,
            "code": reminder.code,
            "link": reminder.link,
        },
    )


def _preferences(reminder: Reminder) -> Preferences | None:
    try:
        return reminder.recipient.notification_preferences  # type: ignore[attr-defined,no-any-return]
    except Preferences.DoesNotExist:
        return None


def send_email(reminder: Reminder) -> None:
    user = reminder.recipient
    with spoken_to(user):
        context = {
            "message": message_for(reminder.code),
            "url": settings.SITE_URL + (reminder.link or "/home/"),
            "settings_url": settings.SITE_URL + "/notifications/settings/",
        }
        text = render_to_string("notifications/email/notice.txt", context)
        html = render_to_string("notifications/email/notice.html", context)
        email = EmailMultiAlternatives(
            subject=str(context["message"]),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        email.attach_alternative(html, "text/html")
        email.send()


def send_external(reminder: Reminder, prefs: Preferences | None) -> None:
    """Email and Web Push, as the person chose (both on by default)."""
    if prefs is None or prefs.email:
        send_email(reminder)
    if prefs is None or prefs.push:
        with spoken_to(reminder.recipient):
            data = payload(reminder.code, reminder.link)
        # send_push never raises: a retry of the reminder would send the email and every other
        # device's message again.
        for subscription in PushSubscription.objects.filter(user_id=reminder.recipient_id):
            send_push(subscription, data)


def deliver_one(reminder: Reminder, *, now: dt.datetime) -> str:
    """Deliver one claimed reminder; return what happened (sent/quiet/stale/retry/failed)."""
    if now - reminder.next_attempt_at > STALE_AFTER:
        Reminder.objects.filter(_mine(reminder)).update(dropped_at=now, drop_reason="stale")
        return "stale"
    prefs = _preferences(reminder)
    later = quiet_until(prefs, reminder.recipient.time_zone, now)
    if later is not None:
        _in_app(reminder)
        Reminder.objects.filter(_mine(reminder)).update(
            next_attempt_at=later,
            claimed_at=None,
            claim_token=None,
            attempts=F("attempts") - 1,
        )
        return "quiet"
    try:
        _in_app(reminder)
        send_external(reminder, prefs)
    except Exception as error:
        logger.warning("Reminder %s attempt failed with %s", reminder.id, type(error).__name__)
        if reminder.attempts >= MAX_ATTEMPTS:
            Reminder.objects.filter(_mine(reminder)).update(dropped_at=now, drop_reason="failed")
            return "failed"
        wait = dt.timedelta(minutes=BACKOFF_MINUTES[max(reminder.attempts - 1, 0)])
        Reminder.objects.filter(_mine(reminder)).update(
            next_attempt_at=now + wait, claimed_at=None, claim_token=None
        )
        return "retry"
    Reminder.objects.filter(_mine(reminder)).update(sent_at=now)
    return "sent"


def deliver_due(*, now: dt.datetime | None = None, max_batches: int = 20) -> dict[str, int]:
    """Claim and deliver due reminders until none are left (or ``max_batches`` ran)."""
    counts: dict[str, int] = {}
    for _ in range(max_batches):
        moment = now or timezone.now()
        batch = claim_batch(now=moment)
        if not batch:
            break
        for reminder in batch:
            # No surrounding transaction: a slow mail server must not hold the write lock.
            outcome = deliver_one(reminder, now=moment)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts
