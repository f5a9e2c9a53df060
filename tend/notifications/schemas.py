from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from tend.api.schemas import LocalTime, OutSchema, Schema


class NotificationOut(OutSchema):
    id: uuid.UUID
    code: str = Field(description="What kind of notice; the words are the same for everyone.")
    message: str
    link: str
    created_at: datetime
    read_at: datetime | None


class PreferencesIO(Schema):
    email: bool = True
    push: bool = True
    quiet_start: LocalTime | None = None
    quiet_end: LocalTime | None = None


class PushKeyOut(OutSchema):
    public_key: str = Field(description="The VAPID application server key, base64url.")


class PushSubscriptionIn(Schema):
    endpoint: str = Field(max_length=1000, pattern=r"^https://")
    p256dh: str = Field(max_length=200, pattern=r"^[A-Za-z0-9_=-]+$")
    auth: str = Field(max_length=100, pattern=r"^[A-Za-z0-9_=-]+$")


class PushSubscriptionOut(OutSchema):
    id: uuid.UUID
    created_at: datetime
