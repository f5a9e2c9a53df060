"""The practitioner's external calendar: its secret address, and reading its busy times.

Fetched outside any transaction (``busyfeed.fetch_busy``: deadline, size cap, no private
addresses), claimed one worker at a time. Re-exported by ``services.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tend.accounts.models import User
from tend.booking import busyfeed
from tend.booking.models import (
    BusyInterval,
    ExternalCalendar,
    PractitionerProfile,
)
from tend.core.audit import record
from tend.core.tasks import enqueue_on_commit

# ---- External calendar --------------------------------------------------------------------

CALENDAR_EVERY = dt.timedelta(minutes=15)
CALENDAR_AHEAD = dt.timedelta(days=366)
CALENDAR_TIMEOUT = 10.0


@transaction.atomic
def calendar_set(*, actor: User, url: str) -> ExternalCalendar:
    """Read busy times from the calendar at ``url`` (a secret address); replaces any other."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
        raise ValidationError({"url": busyfeed.status_words("bad_url")})
    ExternalCalendar.objects.filter(practitioner=actor).delete()
    calendar = ExternalCalendar(practitioner=actor, url=url)
    calendar.save(force_insert=True)
    record(actor=actor, action="booking.calendar_set", target=calendar)
    from tend.booking.tasks import refresh_calendar

    enqueue_on_commit(refresh_calendar, str(calendar.id))
    return calendar


@transaction.atomic
def calendar_remove(*, actor: User) -> None:
    if ExternalCalendar.objects.filter(practitioner=actor).delete()[0]:
        record(actor=actor, action="booking.calendar_removed")


def calendar_refresh(*, calendar_id: uuid.UUID, now: dt.datetime | None = None) -> str | None:
    """Fetch one calendar now and store its busy times; answer the status (None if gone)."""
    now = now or timezone.now()
    calendar = (
        ExternalCalendar.objects.select_related("practitioner__data_key")
        .filter(id=calendar_id)
        .first()
    )
    if calendar is None:
        return None
    profile = PractitionerProfile.objects.filter(user_id=calendar.practitioner_id).first()
    zone = zoneinfo.ZoneInfo(profile.time_zone) if profile else None
    # The network call happens outside any transaction: it may take seconds.
    result = busyfeed.fetch_busy(
        calendar.url,
        etag=calendar.etag or None,
        last_modified=calendar.last_modified or None,
        window_start=now - dt.timedelta(days=1),
        window_end=now + CALENDAR_AHEAD,
        timeout=CALENDAR_TIMEOUT,
        zone=zone,
    )
    with transaction.atomic():
        fields: dict[str, Any] = {
            "status": result.status,
            "http_status": result.http_status,
            "last_fetch_at": now,
            "etag": (result.etag or "")[:200],
            "last_modified": (result.last_modified or "")[:100],
        }
        if result.status in ("ok", "not_modified"):
            fields["last_success_at"] = now
        if not ExternalCalendar.objects.filter(id=calendar.id).update(**fields):
            return None  # removed meanwhile
        if result.status == "ok":
            BusyInterval.objects.filter(calendar_id=calendar.id).delete()
            BusyInterval.objects.bulk_create(
                BusyInterval(calendar_id=calendar.id, start=s, end=e) for s, e in result.busy
            )
    return result.status


def calendars_refresh_due(*, now: dt.datetime | None = None, limit: int = 20) -> int:
    """Refresh the calendars not fetched for a while; claims each so one worker fetches it."""
    now = now or timezone.now()
    due = ExternalCalendar.objects.filter(
        Q(last_fetch_at=None) | Q(last_fetch_at__lt=now - CALENDAR_EVERY)
    ).values_list("id", "last_fetch_at")[:limit]
    done = 0
    for calendar_id, last in list(due):
        # The conditional UPDATE is the claim: only the worker that moves last_fetch_at on
        # fetches this calendar in this round.
        if ExternalCalendar.objects.filter(id=calendar_id, last_fetch_at=last).update(
            last_fetch_at=now
        ):
            calendar_refresh(calendar_id=calendar_id, now=now)
            done += 1
    return done
