"""Reads for notifications: always one's own."""

from __future__ import annotations

from django.db.models import QuerySet

from tend.accounts.models import User
from tend.notifications.messages import NOT_TOGETHER
from tend.notifications.models import Notification, Preferences, PushSubscription


def notifications_of(*, viewer: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=viewer).order_by("-created_at", "-id")


def unread_count(*, viewer: User) -> int:
    return Notification.objects.filter(recipient=viewer, read_at=None).count()


def together_waiting(*, viewer: User) -> bool:
    """Whether an unread notice waits for the viewer (a share, a check-in, a proposal...):
    the quiet dot on the Together tab. One indexed EXISTS query."""
    return (
        Notification.objects.filter(recipient=viewer, read_at=None)
        .exclude(code__in=NOT_TOGETHER)
        .exists()
    )


def preferences_of(*, viewer: User) -> Preferences:
    """The person's preferences, or the defaults (not saved) if they never changed them."""
    try:
        return Preferences.objects.get(user=viewer)
    except Preferences.DoesNotExist:
        return Preferences(user=viewer)


def push_subscriptions_of(*, viewer: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=viewer).order_by("-created_at")
