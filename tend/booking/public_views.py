"""The public booking page ``/book/<slug>/``, for visitors with no account.

A profile that is off answers the same 404 as a slug nobody has. Times are shown in the
visitor's zone: ``?zone=`` (set by a small script from the browser, or chosen in a select),
else the practitioner's own zone, so the page works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
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

from tend.booking import selectors, services
from tend.booking.forms import BookingForm, ZoneForm
from tend.booking.models import Booking, CallType, PractitionerProfile
from tend.booking.words import day_words, place_name, time_words, when_words

DAYS_PER_PAGE = 7
SESSION_KEY = "booking_done"


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
    if asked in zoneinfo.available_timezones():
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
def slots_page(request: HttpRequest, slug: str, id: Any) -> HttpResponse:
    profile = _profile(slug)
    call_type = _call_type(profile, id)
    zone, unknown_zone = _zone(request, profile)
    tz = zoneinfo.ZoneInfo(zone)
    now = timezone.now()
    today = now.astimezone(tz).date()
    try:
        first = max(dt.date.fromisoformat(request.GET.get("from", "")), today)
    except ValueError:
        first = today
    last_bookable = (now + dt.timedelta(days=call_type.horizon_days)).astimezone(tz).date()
    first = min(first, last_bookable)
    window_start = dt.datetime.combine(first, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    window_end = dt.datetime.combine(
        first + dt.timedelta(days=DAYS_PER_PAGE), dt.time(), tzinfo=tz
    ).astimezone(dt.UTC)
    free = selectors.free_slots_for(
        call_type=call_type,
        time_zone=profile.time_zone,
        now=now,
        window_start=window_start,
        window_end=window_end,
    )
    days: dict[dt.date, list[dict[str, str]]] = {}
    details = reverse("book:details", args=[profile.slug, call_type.id])
    for start in free:
        local = start.astimezone(tz)
        days.setdefault(local.date(), []).append(
            {
                "time": time_words(start, zone),
                "words": when_words(start, zone),
                "url": f"{details}?{urlencode({'start': _iso(start), 'zone': zone})}",
            }
        )
    base = reverse("book:slots", args=[profile.slug, call_type.id])
    next_first = first + dt.timedelta(days=DAYS_PER_PAGE)
    previous_first = max(first - dt.timedelta(days=DAYS_PER_PAGE), today)
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
            "days": [{"label": day_words(d), "slots": s} for d, s in sorted(days.items())],
            "range_words": _("%(first)s to %(last)s")
            % {
                "first": day_words(first),
                "last": day_words(first + dt.timedelta(days=DAYS_PER_PAGE - 1)),
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
            try:
                booking, _secret = services.booking_create(
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
                nearest = [
                    {"value": _iso(t), "words": when_words(t, zone)} for t in refused.nearest
                ]
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    target = FIELD_OF_ERROR.get(field, field)
                    form.add_error(target if target in form.fields else None, errors)
            else:
                request.session[SESSION_KEY] = str(booking.id)
                return redirect("book:booked", slug=profile.slug)
        status = 409 if nearest else 400
    else:
        start = _parse_start(request.GET.get("start", ""))
        if start is None:
            return redirect(slots_url)
        form = BookingForm(call_type=call_type)
        status = 200
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


@login_not_required
def booked_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation, for the visitor who just booked (their session holds the id)."""
    profile = _profile(slug)
    booked_id = request.session.get(SESSION_KEY)
    if not isinstance(booked_id, str):
        raise Http404
    booking = (
        Booking.objects.filter(id=booked_id, practitioner_id=profile.user_id)
        .select_related("call_type", "practitioner__data_key")
        .first()
    )
    if booking is None:
        raise Http404
    return render(
        request,
        "booking/public/booked.html",
        {
            "profile": profile,
            "booking": booking,
            "when": when_words(booking.start, booking.booker_zone),
            "their_when": when_words(booking.start, profile.time_zone),
        },
    )
