"""Reads for notifications: always one's own."""

from __future__ import annotations

from django.db.models import QuerySet

from tend.accounts.models import User
from tend.notifications.models import Notification, Preferences, PushSubscription


def notifications_of(*, viewer: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=viewer).order_by("-created_at", "-id")


def unread_count(*, viewer: User) -> int:
    return Notification.objects.filter(recipient=viewer, read_at=None).count()


def preferences_of(*, viewer: User) -> Preferences:
    """The person's preferences, or the defaults (not saved) if they never changed them."""
    try:
        return Preferences.objects.get(user=viewer)
    except Preferences.DoesNotExist:
        return Preferences(user=viewer)


def push_subscriptions_of(*, viewer: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=viewer).order_by("-created_at")
