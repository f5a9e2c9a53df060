"""The practitioner's booking settings: "I offer calls", profile, call types and hours."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tend.accounts.models import User
from tend.accounts.requests import person_of
from tend.booking import busyfeed, selectors, services
from tend.booking.forms import (
    WEEKDAYS,
    CallTypeForm,
    HoursForm,
    OverrideForm,
    ProfileForm,
    format_ranges,
)
from tend.booking.models import (
    CallType,
    PractitionerProfile,
)


def index(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    profile = selectors.profile_of(viewer=user)
    form = ProfileForm(instance=profile) if profile else None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "on":
            services.profile_turn_on(actor=user)
            messages.success(request, _("Your booking page is on."))
            return redirect("booking:index")
        if action == "off":
            services.profile_turn_off(actor=user)
            messages.success(request, _("Your booking page is off. Booked calls stay booked."))
            return redirect("booking:index")
        if profile is None:
            raise Http404
        form = ProfileForm(request.POST, request.FILES, instance=selectors.profile_of(viewer=user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                _save_profile(user, profile, data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("booking:index")
    return render(
        request,
        "booking/settings.html",
        {
            "profile": profile,
            "form": form,
            "call_types": selectors.call_types_of(viewer=user) if profile else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


@transaction.atomic
def _save_profile(user: User, profile: PractitionerProfile, data: dict[str, Any]) -> None:
    """The profile and its photo together, so a refused slug stores no photo either."""
    services.profile_update(
        actor=user,
        profile=profile,
        slug=data["slug"],
        public_name=data["public_name"],
        pronouns=data["pronouns"],
        bio=data["bio"],
        approach=data["approach"],
        languages=data["languages_text"],
        time_zone=data["time_zone"],
    )
    if data.get("photo") is not None:
        services.photo_set(actor=user, profile=profile, photo=data["photo"])
    elif data.get("remove_photo"):
        services.photo_remove(actor=user, profile=profile)


def _call_type_fields(form: CallTypeForm) -> dict[str, Any]:
    data = form.cleaned_data
    fields = {name: data[name] for name in CallTypeForm.Meta.fields}
    fields["min_notice_minutes"] = data["notice_hours"] * 60
    fields["consents"] = data["consents_text"]
    fields["questions"] = data["questions_text"]
    fields["reminder_offsets"] = data["reminders_text"]
    return fields


def _own_call_type(user: User, id: Any) -> CallType:
    call_type = selectors.call_types_of(viewer=user).filter(id=id).first()
    if call_type is None:
        raise Http404
    return call_type


def call_type_edit(request: HttpRequest, id: Any = None) -> HttpResponse:
    user = person_of(request)
    # Someone else's call type is a 404 before anything else, as if it did not exist.
    call_type = _own_call_type(user, id) if id is not None else None
    if selectors.profile_of(viewer=user) is None:
        return redirect("booking:index")
    form = CallTypeForm(instance=call_type)
    if request.method == "POST":
        form = CallTypeForm(request.POST, instance=call_type or CallType(practitioner=user))
        if form.is_valid():
            try:
                services.call_type_save(
                    actor=user,
                    call_type=_own_call_type(user, id) if id is not None else None,
                    **_call_type_fields(form),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The call type is saved."))
                return redirect("booking:index")
    return render(
        request,
        "booking/call_type.html",
        {"form": form, "call_type": call_type},
        status=400 if form.errors else 200,
    )


@require_POST
def call_type_archive(request: HttpRequest, id: Any) -> HttpResponse:
    user = person_of(request)
    services.call_type_archive(actor=user, call_type=_own_call_type(user, id))
    messages.success(request, _("That call type is no longer offered. Booked calls stay."))
    return redirect("booking:index")


def _hours_initial(user: User) -> dict[str, str]:
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {d: [] for d in range(7)}
    for row in selectors.weekly_hours_of(viewer=user):
        by_day[row.weekday].append((row.start, row.end))
    return {f"day{d}": format_ranges(ranges) for d, ranges in by_day.items()}


def hours(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    profile = selectors.profile_of(viewer=user)
    if profile is None:
        return redirect("booking:index")
    if request.method != "POST":
        return _hours_page(request, user, profile, HoursForm(initial=_hours_initial(user)))
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            for day in range(7):
                services.weekly_hours_set(
                    actor=user, weekday=day, ranges=form.cleaned_data[f"day{day}"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your hours are saved."))
            return redirect("booking:hours")
    return _hours_page(request, user, profile, form, status=400)


def _hours_page(
    request: HttpRequest,
    user: User,
    profile: PractitionerProfile,
    form: HoursForm,
    override_form: OverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The hours page: weekly hours, days off and other hours, and the busy calendar."""
    return render(
        request,
        "booking/hours.html",
        {
            "profile": profile,
            "form": form,
            "days": [(form[f"day{d}"], WEEKDAYS[d]) for d in range(7)],
            "override_form": override_form or OverrideForm(),
            "overrides": _overrides(user, profile),
            **_calendar(user),
        },
        status=status,
    )


def _calendar(user: User) -> dict[str, Any]:
    calendar = selectors.calendar_of(viewer=user)
    if calendar is None:
        return {"calendar": None}
    return {
        "calendar": calendar,
        "calendar_words": busyfeed.status_words(calendar.status)
        if calendar.status
        else _("Your calendar has not been read yet; it will be within a few minutes."),
        "calendar_busy": calendar.busy.count(),
    }


def _overrides(user: User, profile: PractitionerProfile) -> list[dict[str, Any]]:
    # Overrides are dates in the profile's zone, which may differ from the account's.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(profile.time_zone))
    grouped: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    for row in selectors.overrides_of(viewer=user, since=today):
        ranges = grouped.setdefault(row.date, [])
        if row.start is not None and row.end is not None:
            ranges.append((row.start, row.end))
    return [{"date": d, "hours": format_ranges(r)} for d, r in sorted(grouped.items())]


@require_POST
def override_add(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    profile = selectors.profile_of(viewer=user)
    if profile is None:
        return redirect("booking:index")
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_set(
                actor=user, date=form.cleaned_data["date"], ranges=form.cleaned_data["hours"]
            )
        except ValidationError as error:
            form.add_error("hours", error)
        else:
            messages.success(request, _("That date is saved."))
            return redirect("booking:hours")
    hours_form = HoursForm(initial=_hours_initial(user))
    return _hours_page(request, user, profile, hours_form, override_form=form, status=400)


@require_POST
def override_remove(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        raise Http404 from None
    services.override_remove(actor=user, date=day)
    messages.success(request, _("That date follows your weekly hours again."))
    return redirect("booking:hours")


@require_POST
def calendar_set(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    if selectors.profile_of(viewer=user) is None:
        return redirect("booking:index")
    try:
        services.calendar_set(actor=user, url=request.POST.get("url", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your calendar is saved; its busy times are read now."))
    return redirect("booking:hours")


@require_POST
def calendar_remove(request: HttpRequest) -> HttpResponse:
    services.calendar_remove(actor=person_of(request))
    messages.success(request, _("Busy times from your calendar are no longer used."))
    return redirect("booking:hours")
