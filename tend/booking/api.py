"""The booking API under /api/v1/booking/: thin handlers over the same services as the pages.

Three kinds of caller:

* a visitor with no account (``auth=None``): a practitioner's public profile, free slots, and
  booking, through ``services.booking_create`` with the page's rate limits and honeypot;
* the booker holding a manage secret, sent as the ``Booking-Secret`` header. A header, not the
  path, so that the secret stays out of access logs, proxies and browser history (logs name
  routes anyway, see ARCHITECTURE "Privacy in logs"). A forged, cancelled or past secret is the
  same 404 as no booking;
* the practitioner, with a token or session (read scope for GET, write for changes).

Booking creation honours an ``Idempotency-Key`` header: a retry with the same key and body
answers the same booking (with its manage secret); another body with the key is a 409.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from ninja import Header, Query, Router, Status
from ninja import Schema as NinjaSchema
from pydantic import Field

from tend.accounts.models import User
from tend.api import errors
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import IsoDateTime, Page
from tend.booking import limits, selectors, services
from tend.booking.models import Booking, CallType, PractitionerProfile
from tend.booking.schemas import (
    BookingCreatedOut,
    BookingIn,
    CallListOut,
    CallOut,
    CancelIn,
    ManagedBookingOut,
    MarkIn,
    MoveIn,
    NotesIn,
    PublicProfileOut,
    SlotsOut,
)
from tend.booking.words import when_words
from tend.core.zones import known_zones

router = Router(tags=["booking"])

# The longest window of free slots one request may ask for.
MAX_WINDOW = dt.timedelta(days=31)
# How long a retry with the same Idempotency-Key answers the same booking.
IDEMPOTENCY_SECONDS = 24 * 3600
SECRET_HEADER = "Booking-Secret"  # noqa: S105 - a header name, not a secret


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(value: dt.datetime, field: str) -> dt.datetime:
    """An aware instant in UTC, or a 422 naming ``field`` (naive, or beyond what UTC holds)."""
    if value.tzinfo is None:
        raise ValidationError({field: gettext("Give the time with its offset or in UTC.")})
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValidationError(
            {field: gettext("Give a time between the years 2000 and 9000.")}
        ) from None


def _query_problem(field: str, message: str) -> HttpResponse:
    return errors.problem(
        422,
        gettext("Some of what was sent is not valid."),
        errors=[{"location": f"query.{field}", "message": message}],
    )


def _slot_problem(refused: services.SlotError, zone: str) -> HttpResponse:
    """409 for a time just taken, 422 for one never offered; both with the nearest free times."""
    taken = isinstance(refused, services.SlotTaken)
    status = 409 if taken else 422
    return errors.problem(
        status,
        gettext(
            "%(refusal)s Choose one of the nearest free times, or ask for the free slots again."
        )
        % {"refusal": refused.message},
        title=gettext("That time was just taken") if taken else gettext("That time is not offered"),
        slug=refused.code.replace("_", "-"),
        extra={
            "nearest": [{"start": _iso(t), "words": when_words(t, zone)} for t in refused.nearest]
        },
    )


def _known_zone(zone: str) -> bool:
    return zone in known_zones()


# --- Public: the profile, free slots, booking ------------------------------------------------


def _profile(slug: str) -> PractitionerProfile:
    profile = selectors.profile_public(slug=slug)
    if profile is None:
        raise Http404
    return profile


def _call_type(profile: PractitionerProfile, call_type_id: Any) -> CallType:
    call_type = selectors.call_type_public(profile=profile, call_type_id=str(call_type_id))
    if call_type is None:
        raise Http404
    return call_type


@router.get(
    "/practitioners/{slug}",
    response=PublicProfileOut,
    auth=None,
    summary="A practitioner's public profile and call types",
)
def booking_practitioner(request: HttpRequest, slug: str) -> Any:
    profile = _profile(slug)
    return {
        "slug": profile.slug,
        "public_name": profile.public_name,
        "pronouns": profile.pronouns,
        "bio": profile.bio,
        "approach": profile.approach,
        "languages": [str(language) for language in profile.languages or []],
        "time_zone": profile.time_zone,
        "call_types": [
            {
                "id": c.id,
                "name": c.name,
                "duration_minutes": c.duration_minutes,
                "location_kind": c.location_kind,
                "cancellation_note": c.cancellation_note,
                "questions": list(c.questions),
                "consents": [str(s) for s in c.consents],
            }
            for c in selectors.call_types_public(profile=profile).order_by("created_at")
        ],
    }


class SlotsQuery(NinjaSchema):
    zone: str = Field(max_length=64, description="The visitor's IANA time zone.")
    start: IsoDateTime = Field(description="The window's start, with its offset or in UTC.")
    end: IsoDateTime = Field(description="The window's end (at most 31 days after its start).")


def _free_slots(
    *,
    call_type: CallType,
    practitioner_zone: str,
    query: SlotsQuery,
    exclude: Any = None,
    skip: dt.datetime | None = None,
) -> Any:
    if not _known_zone(query.zone):
        return _query_problem("zone", gettext("Choose a time zone such as America/New_York."))
    try:
        start, end = _utc(query.start, "start"), _utc(query.end, "end")
    except ValidationError as error:
        field = next(iter(error.message_dict))
        return _query_problem(field, error.message_dict[field][0])
    if end <= start:
        return _query_problem("end", gettext("Give an end after the start."))
    if end - start > MAX_WINDOW:
        return _query_problem("end", gettext("Ask for at most 31 days at a time."))
    now = timezone.now()
    # Nothing is offered before now or past the horizon; clamping also keeps far-off years
    # away from the arithmetic below.
    window_start = max(start, now)
    window_end = min(end, now + dt.timedelta(days=call_type.horizon_days + 1))
    free: list[dt.datetime] = []
    if window_start < window_end:
        free = selectors.free_slots_for(
            call_type=call_type,
            time_zone=practitioner_zone,
            now=now,
            window_start=window_start,
            window_end=window_end,
            exclude=exclude,
        )
    tz = zoneinfo.ZoneInfo(query.zone)
    return {
        "zone": query.zone,
        "slots": [
            {
                "start": _iso(s),
                "local": s.astimezone(tz).isoformat(),
                "words": when_words(s, query.zone),
            }
            for s in free
            if s != skip
        ],
    }


@router.get(
    "/practitioners/{slug}/call-types/{call_type_id}/slots",
    response=SlotsOut,
    auth=None,
    summary="Free times of a call type, in the visitor's zone",
)
def booking_slots(
    request: HttpRequest, slug: str, call_type_id: str, query: Query[SlotsQuery]
) -> Any:
    profile = _profile(slug)
    call_type = _call_type(profile, call_type_id)
    return _free_slots(call_type=call_type, practitioner_zone=profile.time_zone, query=query)


def _managed_out(booking: Booking) -> dict[str, Any]:
    """What the booker may read: when, with whom and where; none of the intake."""
    profile = selectors.profile_for_booking(booking=booking)
    call_type = booking.call_type
    return {
        "start": _iso(booking.start),
        "end": _iso(booking.end),
        "zone": booking.booker_zone,
        "when": when_words(booking.start, booking.booker_zone),
        "status": booking.status,
        "name": booking.booker_name,
        "call_type": call_type.name,
        "duration_minutes": call_type.duration_minutes,
        "location_kind": call_type.location_kind,
        "location": call_type.location,
        "cancellation_note": call_type.cancellation_note,
        "practitioner": {"public_name": profile.public_name, "slug": profile.slug},
    }


# --- Idempotency ------------------------------------------------------------------------------


def _idempotency_cache_key(key: str) -> str:
    return "booking:idempotency:" + salted_hmac("tend.booking.idempotency", key).hexdigest()


def _pad(key: str, length: int) -> bytes:
    seed = salted_hmac("tend.booking.idempotency.pad", key, algorithm="sha256").digest()
    return hashlib.shake_256(seed).digest(length)


def _seal(secret: str, key: str) -> str:
    # The cache keeps the manage secret only masked by the Idempotency-Key, which it never
    # holds: reading the cache alone opens no booking.
    raw = secret.encode()
    return bytes(a ^ b for a, b in zip(raw, _pad(key, len(raw)), strict=True)).hex()


def _unseal(sealed: str, key: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _pad(key, len(raw)), strict=True)).decode()


def _body_digest(slug: str, call_type_id: str, body: BookingIn) -> str:
    canonical = json.dumps(
        [slug, call_type_id, body.model_dump(mode="json")], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replayed(key: str, digest: str) -> HttpResponse | Any | None:
    """The answer to an earlier request with this key, a 409, or None to go ahead."""
    cache_key = _idempotency_cache_key(key)
    if cache.add(cache_key, {"state": "pending", "digest": digest}, timeout=IDEMPOTENCY_SECONDS):
        return None  # claimed: this request is the first with the key
    stored = cache.get(cache_key) or {}
    if stored.get("digest") != digest:
        return errors.problem(
            409,
            gettext(
                "This Idempotency-Key was used with another request. Use a new key for a new "
                "booking."
            ),
            title=gettext("Idempotency-Key reused"),
        )
    if stored.get("state") != "done":
        return errors.problem(
            409,
            gettext(
                "A request with this Idempotency-Key is still being answered. Retry in a moment."
            ),
            title=gettext("Request in progress"),
            headers={"Retry-After": "1"},
        )
    booking = Booking.objects.select_related("call_type").filter(id=stored["booking"]).first()
    if booking is None:
        return None
    return Status(201, {**_managed_out(booking), "manage_secret": _unseal(stored["secret"], key)})


@router.post(
    "/practitioners/{slug}/call-types/{call_type_id}/bookings",
    response={201: BookingCreatedOut},
    auth=None,
    summary="Book a free time (no account)",
)
def booking_book(
    request: HttpRequest,
    slug: str,
    call_type_id: str,
    body: BookingIn,
    idempotency_key: str | None = Header(
        default=None,
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        description="A unique key per booking; a retry with it answers the same booking.",
    ),
) -> Any:
    profile = _profile(slug)
    call_type = _call_type(profile, call_type_id)
    if body.website:
        # A bot filled in the field people never see: nothing is stored.
        return errors.problem(400, gettext("This booking could not be made."))
    start = _utc(body.start, "start")
    zone = body.zone
    if idempotency_key:
        digest = _body_digest(slug, str(call_type.id), body)
        earlier = _replayed(idempotency_key, digest)
        if earlier is not None:
            return earlier
    booked = False
    try:
        wait = limits.booking_attempt_wait(request, email=body.email)
        if wait:
            return errors.problem(
                429,
                gettext(
                    "There have been too many booking attempts from here or for this email "
                    "address. Please wait a while (Retry-After says how long) and try again."
                ),
                headers={"Retry-After": str(wait)},
            )
        try:
            booking, secret = services.booking_create(
                call_type=call_type,
                start=start,
                name=body.name,
                email=body.email,
                zone=zone,
                pronouns=body.pronouns,
                language=body.language or getattr(request, "LANGUAGE_CODE", "en"),
                intake=body.intake.answers(),
                consents_ticked=body.consents,
            )
        except services.SlotError as refused:
            return _slot_problem(refused, zone if _known_zone(zone) else profile.time_zone)
        booked = True
    finally:
        if idempotency_key and not booked:
            # Nothing was booked (refused, limited or failed): a retry with this key may try
            # again and get its own answer.
            cache.delete(_idempotency_cache_key(idempotency_key))
    if idempotency_key:
        cache.set(
            _idempotency_cache_key(idempotency_key),
            {
                "state": "done",
                "digest": digest,
                "booking": str(booking.id),
                "secret": _seal(secret, idempotency_key),
            },
            timeout=IDEMPOTENCY_SECONDS,
        )
    return Status(201, {**_managed_out(booking), "manage_secret": secret})


# --- The booker, by the manage secret ---------------------------------------------------------


def _secret_field() -> Any:
    return Header(
        ...,
        alias=SECRET_HEADER,
        max_length=100,
        description="The manage secret given when booking (and in the emailed link).",
    )


def _managed(secret: str) -> Booking:
    booking = services.booking_by_secret(secret)
    if booking is None:
        raise Http404
    return booking


@router.get("/manage", response=ManagedBookingOut, auth=None, summary="Your booking, by its secret")
def booking_manage(request: HttpRequest, secret: str = _secret_field()) -> Any:
    return _managed_out(_managed(secret))


@router.get(
    "/manage/slots",
    response=SlotsOut,
    auth=None,
    summary="Free times to move your booking to",
)
def booking_manage_slots(
    request: HttpRequest, query: Query[SlotsQuery], secret: str = _secret_field()
) -> Any:
    booking = _managed(secret)
    profile = selectors.profile_for_booking(booking=booking)
    return _free_slots(
        call_type=booking.call_type,
        practitioner_zone=profile.time_zone,
        query=query,
        exclude=booking.id,
        skip=booking.start,
    )


@router.post(
    "/manage/move",
    response=BookingCreatedOut,
    auth=None,
    summary="Move your booking to another free time",
)
def booking_manage_move(request: HttpRequest, body: MoveIn, secret: str = _secret_field()) -> Any:
    booking = _managed(secret)
    start = _utc(body.start, "start")
    try:
        new_secret = services.booking_reschedule(booking=booking, start=start, by="booker")
    except services.SlotError as refused:
        return _slot_problem(refused, booking.booker_zone)
    # The old secret stops working with the move; the answer carries the new one.
    return {**_managed_out(booking), "manage_secret": new_secret}


@router.post("/manage/cancel", response={204: None}, auth=None, summary="Cancel your booking")
def booking_manage_cancel(
    request: HttpRequest, body: CancelIn, secret: str = _secret_field()
) -> Any:
    booking = _managed(secret)
    if not services.booking_cancel(booking=booking, by="booker", reason=body.reason):
        raise Http404  # cancelled a moment earlier: the secret no longer opens it
    return Status(204, None)


# --- The practitioner's own calls -------------------------------------------------------------


class CallsQuery(NinjaSchema):
    when: str = Field(default="upcoming", pattern="^(upcoming|past)$")
    status: str = Field(default="", pattern="^(|confirmed|cancelled|attended|no_show)$")
    call_type: str = Field(default="", max_length=40, description="A call type's id.")


def _call(request: HttpRequest, booking_id: Any) -> Booking:
    booking = selectors.booking_of(viewer=request.auth, id=booking_id)  # type: ignore[attr-defined]
    if booking is None:
        raise Http404
    return booking


def _call_list_out(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.id,
        "call_type_id": booking.call_type_id,
        "call_type": booking.call_type.name,
        "start": _iso(booking.start),
        "end": _iso(booking.end),
        "status": booking.status,
        "booker_name": booking.booker_name,
        "booker_zone": booking.booker_zone,
    }


def _call_out(booking: Booking) -> dict[str, Any]:
    try:
        intake = json.loads(booking.intake or "{}")
    except ValueError:
        intake = {}
    return {
        **_call_list_out(booking),
        "booker_email": booking.booker_email,
        "booker_pronouns": booking.booker_pronouns,
        "intake": intake if isinstance(intake, dict) else {},
        "consents": [
            {"text": str(c.get("text", "")), "at": str(c.get("at", ""))} for c in booking.consents
        ],
        "notes": booking.notes,
        "cancelled_by": booking.cancelled_by,
        "cancel_reason": booking.cancel_reason,
    }


@router.get("/calls", response=Page[CallListOut], summary="Your calls, upcoming or past")
def booking_calls(request: HttpRequest, filters: Query[CallsQuery], page: Query[PageParams]) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    rows = selectors.bookings_listed_for(
        viewer=user, when=filters.when, status=filters.status, call_type=filters.call_type
    )
    # Upcoming soonest first, past latest first, as on the page.
    listed = paginate(rows, page=page, key="start", descending=filters.when == "past")
    return {**listed, "items": [_call_list_out(b) for b in listed["items"]]}


@router.get("/calls/{booking_id}", response=CallOut, summary="One of your calls, with its intake")
def booking_call(request: HttpRequest, booking_id: str) -> Any:
    return _call_out(_call(request, booking_id))


@router.post("/calls/{booking_id}/mark", response=CallOut, summary="Mark attended or no-show")
def booking_call_mark(request: HttpRequest, booking_id: str, body: MarkIn) -> Any:
    booking = _call(request, booking_id)
    services.booking_mark(actor=request.auth, booking=booking, status=body.status)  # type: ignore[attr-defined]
    booking.refresh_from_db()
    return _call_out(booking)


@router.post("/calls/{booking_id}/cancel", response=CallOut, summary="Cancel a call")
def booking_call_cancel(request: HttpRequest, booking_id: str, body: CancelIn) -> Any:
    booking = _call(request, booking_id)
    if not services.booking_cancel(
        booking=booking,
        by="practitioner",
        reason=body.reason,
        actor=request.auth,  # type: ignore[attr-defined]
    ):
        return errors.problem(
            409,
            gettext("This call is no longer booked, so it cannot be cancelled."),
            title=gettext("Not open"),
        )
    booking.refresh_from_db()
    return _call_out(booking)


@router.post("/calls/{booking_id}/move", response=CallOut, summary="Move a call")
def booking_call_move(request: HttpRequest, booking_id: str, body: MoveIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    booking = _call(request, booking_id)
    start = _utc(body.start, "start")
    profile = selectors.profile_of(viewer=user)
    try:
        services.booking_reschedule(booking=booking, start=start, by="practitioner", actor=user)
    except services.SlotError as refused:
        return _slot_problem(refused, profile.time_zone if profile else user.time_zone)
    booking.refresh_from_db()
    return _call_out(booking)


@router.put("/calls/{booking_id}/notes", response=CallOut, summary="Your private notes on a call")
def booking_call_notes(request: HttpRequest, booking_id: str, body: NotesIn) -> Any:
    booking = _call(request, booking_id)
    services.booking_note(actor=request.auth, booking=booking, notes=body.notes)  # type: ignore[attr-defined]
    booking.refresh_from_db()
    return _call_out(booking)
