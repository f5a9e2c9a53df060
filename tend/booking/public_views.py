"""The public booking page ``/book/<slug>/``, for visitors with no account.

A profile that is off answers the same 404 as a slug nobody has. Times are shown in the
visitor's zone: ``?zone=`` (set by a small script from the browser, or chosen in a select),
else the practitioner's own zone, so the page works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tend.booking import limits, selectors, services, week
from tend.booking.forms import BookingForm, ZoneForm
from tend.booking.models import Booking, CallType, PractitionerProfile
from tend.booking.words import day_words, place_name, time_words, when_words
from tend.core.zones import known_zones


def _profile(slug: str) -> PractitionerProfile:
    profile = selectors.profile_public(slug=slug)
    if profile is None:
        raise Http404
    return profile


def _call_type(profile: PractitionerProfile, id: Any) -> CallType:
    call_type = selectors.call_type_public(profile=profile, call_type_id=str(id))
    if call_type is None:
        raise Http404
    return call_type


def _zone(request: HttpRequest, profile: PractitionerProfile) -> tuple[str, bool]:
    """The visitor's zone and whether the one asked for was unknown."""
    asked = request.GET.get("zone") or request.POST.get("zone") or ""
    if asked in known_zones():
        return asked, False
    return profile.time_zone, bool(asked)


@login_not_required
def profile_page(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _profile(slug)
    zone, unknown = _zone(request, profile)
    return render(
        request,
        "booking/public/profile.html",
        {
            "profile": profile,
            "call_types": selectors.call_types_public(profile=profile),
            # Passed on only when the visitor chose it; otherwise the script adds theirs.
            "zone_query": "" if unknown or "zone" not in request.GET else urlencode({"zone": zone}),
        },
    )


@login_not_required
def photo(request: HttpRequest, slug: str) -> HttpResponse:
    """The practitioner's photo; a 404 as soon as the page is off, like the page itself."""
    found = selectors.photo_public(slug=slug)
    if found is None:
        raise Http404
    etag = f'"{found.width}x{found.height}-{hashlib.sha256(found.data).hexdigest()[:16]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(bytes(found.data), content_type="image/jpeg")
    response["ETag"] = etag
    # Short, so a page turned off stops showing its photo from caches within minutes; the
    # page's link carries the photo's time, so a new photo shows at once.
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
def slots_page(request: HttpRequest, slug: str, id: Any) -> HttpResponse:
    profile = _profile(slug)
    call_type = _call_type(profile, id)
    zone, unknown_zone = _zone(request, profile)
    tz = zoneinfo.ZoneInfo(zone)
    now = timezone.now()
    today = now.astimezone(tz).date()
    last_bookable = (now + dt.timedelta(days=call_type.horizon_days)).astimezone(tz).date()
    first = min(
        week.first_day(request.GET.get("from", ""), today=today, otherwise=today), last_bookable
    )
    window_start, window_end = week.window(first, tz)
    free = selectors.free_slots_for(
        call_type=call_type,
        time_zone=profile.time_zone,
        now=now,
        window_start=window_start,
        window_end=window_end,
    )
    details = reverse("book:details", args=[profile.slug, call_type.id])
    days = week.by_day(
        free,
        tz,
        lambda start: {
            "time": time_words(start, zone),
            "words": when_words(start, zone),
            "url": f"{details}?{urlencode({'start': _iso(start), 'zone': zone})}",
        },
    )
    base = reverse("book:slots", args=[profile.slug, call_type.id])
    next_first = first + dt.timedelta(days=week.DAYS)
    previous_first = max(first - dt.timedelta(days=week.DAYS), today)
    return render(
        request,
        "booking/public/slots.html",
        {
            "profile": profile,
            "call_type": call_type,
            "zone": zone,
            "place": place_name(zone),
            "unknown_zone": unknown_zone,
            "zone_form": ZoneForm(initial={"zone": zone}),
            "days": days,
            "range_words": _("%(first)s to %(last)s")
            % {
                "first": day_words(first),
                "last": day_words(first + dt.timedelta(days=week.DAYS - 1)),
            },
            "next_url": _page(base, zone, next_first) if next_first <= last_bookable else None,
            "previous_url": _page(base, zone, previous_first) if first > today else None,
        },
    )


def _page(base: str, zone: str, first: dt.date) -> str:
    return f"{base}?{urlencode({'zone': zone, 'from': first.isoformat()})}"


def _iso(start: dt.datetime) -> str:
    return start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_start(value: str) -> dt.datetime | None:
    try:
        start = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return start.astimezone(dt.UTC) if start.tzinfo is not None else None


FIELD_OF_ERROR = {"consents": "consent0", "zone": None, "start": None}


@login_not_required
def details_page(request: HttpRequest, slug: str, id: Any) -> HttpResponse:
    """The intake for one chosen time; a POST books it."""
    profile = _profile(slug)
    call_type = _call_type(profile, id)
    zone, _unknown = _zone(request, profile)
    slots_url = (
        reverse("book:slots", args=[profile.slug, call_type.id]) + "?" + urlencode({"zone": zone})
    )
    nearest: list[dict[str, str]] = []
    taken = False
    if request.method == "POST":
        form = BookingForm(request.POST, call_type=call_type)
        start = _parse_start(request.POST.get("start") or request.GET.get("start", ""))
        if start is None:
            return redirect(slots_url)
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A bot filled in the field people never see: nothing is stored.
                return render(
                    request, "booking/public/refused.html", {"profile": profile}, status=400
                )
            if limits.booking_attempt_wait(request, email=form.cleaned_data["email"]):
                form.add_error(
                    None,
                    _(
                        "There have been too many booking attempts from here or for this email "
                        "address. Please wait an hour and try again."
                    ),
                )
                return _details(request, profile, call_type, form, start, zone, [], 429)
            try:
                _booking, secret = services.booking_create(
                    call_type=call_type,
                    start=start,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    zone=zone,
                    pronouns=form.cleaned_data["pronouns"],
                    language=request.LANGUAGE_CODE,
                    intake=form.intake(),
                    consents_ticked=form.consents_ticked(),
                )
            except services.SlotError as refused:
                form.add_error(None, refused.message)
                taken = isinstance(refused, services.SlotTaken)
                nearest = [
                    {"value": _iso(t), "words": when_words(t, zone)} for t in refused.nearest
                ]
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    target = FIELD_OF_ERROR.get(field, field)
                    form.add_error(target if target in form.fields else None, errors)
            else:
                # The manage page is the confirmation: the visitor can keep its address.
                url = reverse("book:manage", args=[secret])
                return redirect(f"{url}?done=booked")
        status = 409 if taken else 400
    else:
        start = _parse_start(request.GET.get("start", ""))
        if start is None:
            return redirect(slots_url)
        form = BookingForm(call_type=call_type)
        status = 200
    return _details(request, profile, call_type, form, start, zone, nearest, status)


def _details(
    request: HttpRequest,
    profile: PractitionerProfile,
    call_type: CallType,
    form: BookingForm,
    start: dt.datetime,
    zone: str,
    nearest: list[dict[str, str]],
    status: int,
) -> HttpResponse:
    slots_url = (
        reverse("book:slots", args=[profile.slug, call_type.id]) + "?" + urlencode({"zone": zone})
    )
    return render(
        request,
        "booking/public/details.html",
        {
            "profile": profile,
            "call_type": call_type,
            "form": form,
            "when": when_words(start, zone),
            "start": _iso(start),
            "zone": zone,
            "nearest": nearest,
            "slots_url": slots_url,
            "consent_fields": [form[f"consent{i}"] for i in range(len(form.statements))],
            "question_fields": [form[f"q_{q['key']}"] for q in form.own_questions],
        },
        status=status,
    )


def _managed(secret: str) -> Booking:
    booking = services.booking_by_secret(secret)
    if booking is None:
        raise LinkDead
    return booking


class LinkDead(Http404):
    """A manage link that is forged, cancelled or past: the same 404 for each."""


def _dead(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/public/link_dead.html", status=404)


def _manage_context(booking: Booking, profile: PractitionerProfile, zone: str) -> dict[str, Any]:
    return {
        "profile": profile,
        "booking": booking,
        "zone": zone,
        "when": when_words(booking.start, zone),
        "their_when": when_words(booking.start, profile.time_zone),
    }


@login_not_required
def manage_page(request: HttpRequest, secret: str) -> HttpResponse:
    """What the manage link opens: the call, and the ways to move or cancel it."""
    try:
        booking = _managed(secret)
    except LinkDead:
        return _dead(request)
    profile = selectors.profile_for_booking(booking=booking)
    zone, _unknown = _zone(request, profile)
    if "zone" not in request.GET:
        zone = booking.booker_zone
    context = _manage_context(booking, profile, zone)
    context["just_booked"] = request.GET.get("done") == "booked"
    context["just_moved"] = request.GET.get("done") == "moved"
    return render(request, "booking/public/manage.html", context)


@login_not_required
@require_POST
def manage_cancel(request: HttpRequest, secret: str) -> HttpResponse:
    try:
        booking = _managed(secret)
    except LinkDead:
        return _dead(request)
    reason = request.POST.get("reason", "")
    profile = selectors.profile_for_booking(booking=booking)
    try:
        services.booking_cancel(booking=booking, by="booker", reason=reason)
    except ValidationError as error:
        context = _manage_context(booking, profile, booking.booker_zone)
        context["reason_errors"] = error.message_dict.get("reason", [])
        context["reason"] = reason
        return render(request, "booking/public/manage.html", context, status=400)
    return render(
        request,
        "booking/public/cancelled.html",
        {
            "profile": profile if profile.offering else None,
            "when": when_words(booking.start, booking.booker_zone),
        },
    )


@login_not_required
def manage_move(request: HttpRequest, secret: str) -> HttpResponse:
    """Free times of the same call (GET), and moving to one of them (POST)."""
    try:
        booking = _managed(secret)
    except LinkDead:
        return _dead(request)
    profile = selectors.profile_for_booking(booking=booking)
    zone, unknown_zone = _zone(request, profile)
    if "zone" not in request.GET and "zone" not in request.POST:
        zone = booking.booker_zone
    error = ""
    if request.method == "POST":
        start = _parse_start(request.POST.get("start", ""))
        if start is not None:
            try:
                new_secret = services.booking_reschedule(booking=booking, start=start, by="booker")
            except services.SlotError as refused:
                error = refused.message
            else:
                url = reverse("book:manage", args=[new_secret])
                return redirect(f"{url}?done=moved")
        else:
            error = _("Choose one of the free times.")
    now = timezone.now()
    tz = zoneinfo.ZoneInfo(zone)
    today = now.astimezone(tz).date()
    # Without a ``from``, the call's own week: moving is usually by a little.
    first = week.first_day(
        request.GET.get("from", ""),
        today=today,
        otherwise=max(booking.start.astimezone(tz).date(), today),
    )
    window_start, window_end = week.window(first, tz)
    free = selectors.free_slots_for(
        call_type=booking.call_type,
        time_zone=profile.time_zone,
        now=now,
        window_start=window_start,
        window_end=window_end,
        exclude=booking.id,
    )
    days = week.by_day(
        (slot for slot in free if slot != booking.start),
        tz,
        lambda slot: {
            "time": time_words(slot, zone),
            "words": when_words(slot, zone),
            "value": _iso(slot),
        },
    )
    base = reverse("book:manage_move", args=[secret])
    last_bookable = (now + dt.timedelta(days=booking.call_type.horizon_days)).astimezone(tz).date()
    next_first = first + dt.timedelta(days=week.DAYS)
    return render(
        request,
        "booking/public/move.html",
        {
            **_manage_context(booking, profile, zone),
            "back_url": reverse("book:manage", args=[secret]),
            "place": place_name(zone),
            "unknown_zone": unknown_zone,
            "zone_form": ZoneForm(initial={"zone": zone}),
            "days": days,
            "error": error,
            "next_url": _page(base, zone, next_first) if next_first <= last_bookable else None,
            "previous_url": _page(base, zone, max(first - dt.timedelta(days=week.DAYS), today))
            if first > today
            else None,
        },
        status=409 if error else 200,
    )
