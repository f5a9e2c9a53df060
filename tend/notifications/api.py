"""The notifications API. Handlers stay thin: writes in services.py, reads in selectors.py."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router, Status

from tend.accounts.requests import person_of
from tend.api.errors import problem
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import Page
from tend.notifications.messages import message_for
from tend.notifications.push import public_key
from tend.notifications.schemas import (
    NotificationOut,
    PreferencesIO,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
)
from tend.notifications.selectors import notifications_of, preferences_of
from tend.notifications.services import (
    notifications_mark_read,
    preferences_update,
    push_subscribe,
    push_unsubscribe,
)

if TYPE_CHECKING:
    from tend.notifications.models import Preferences, PushSubscription

router = Router(tags=["notifications"])


def _out(notice: Any, person: Any = None) -> dict[str, Any]:
    return {
        "id": notice.id,
        "code": notice.code,
        "message": message_for(notice.code, person if notice.read_at is None else None),
        "link": notice.link,
        "created_at": notice.created_at,
        "read_at": notice.read_at,
    }


@router.get("", response=Page[NotificationOut], summary="Your notifications, newest first")
def notifications_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    person = person_of(request)
    result = paginate(notifications_of(viewer=person), page=page, key="created_at")
    result["items"] = [_out(n, person) for n in result["items"]]
    return result


@router.post("/read", response={204: None}, summary="Mark all your notifications as read")
def notifications_read(request: HttpRequest) -> Status[None]:
    notifications_mark_read(actor=person_of(request))
    return Status(204, None)


@router.get("/preferences", response=PreferencesIO, summary="How and when you get reminders")
def preferences_read(request: HttpRequest) -> Preferences:
    return preferences_of(viewer=person_of(request))


@router.put("/preferences", response=PreferencesIO, summary="Change how and when")
def preferences_write(request: HttpRequest, body: PreferencesIO) -> Preferences | HttpResponse:
    if (body.quiet_start is None) != (body.quiet_end is None):
        return problem(422, gettext("Give both quiet_start and quiet_end, or neither."))
    return preferences_update(
        actor=person_of(request),
        **body.model_dump(),
    )


@router.get("/push-key", response=PushKeyOut, summary="The Web Push application server key")
def push_key(request: HttpRequest) -> dict[str, Any]:
    return {"public_key": public_key()}


@router.post(
    "/push-subscriptions",
    response={201: PushSubscriptionOut},
    summary="Register this browser for push reminders",
)
def push_subscriptions_add(
    request: HttpRequest, body: PushSubscriptionIn
) -> Status[PushSubscription]:
    subscription = push_subscribe(actor=person_of(request), **body.model_dump())
    return Status(201, subscription)


@router.delete(
    "/push-subscriptions/{subscription_id}",
    response={204: None},
    summary="Stop push reminders to a device",
)
def push_subscriptions_remove(
    request: HttpRequest, subscription_id: uuid.UUID
) -> Status[None] | HttpResponse:
    if not push_unsubscribe(actor=person_of(request), subscription_id=subscription_id):
        return problem(404, gettext("There is no such device."))
    return Status(204, None)
