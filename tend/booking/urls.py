from __future__ import annotations

from django.urls import path

from tend.booking import call_views, public_views, views

app_name = "booking"

# The practitioner's own pages, under /booking/ (sign-in required).
urlpatterns = [
    path("", views.index, name="index"),
    path("call-types/new/", views.call_type_edit, name="call_type_new"),
    path("call-types/<uuid:id>/", views.call_type_edit, name="call_type"),
    path("call-types/<uuid:id>/archive/", views.call_type_archive, name="call_type_archive"),
    path("calls/", call_views.calls, name="calls"),
    path("calls/<uuid:id>/", call_views.call_detail, name="call"),
    path("calls/<uuid:id>/mark/", call_views.call_mark, name="call_mark"),
    path("calls/<uuid:id>/notes/", call_views.call_notes, name="call_notes"),
    path("calls/<uuid:id>/cancel/", call_views.call_cancel, name="call_cancel"),
    path("calls/<uuid:id>/move/", call_views.call_move, name="call_move"),
    path("hours/", views.hours, name="hours"),
    path("calendar/", views.calendar_set, name="calendar_set"),
    path("calendar/remove/", views.calendar_remove, name="calendar_remove"),
    path("hours/overrides/", views.override_add, name="override_add"),
    path("hours/overrides/remove/", views.override_remove, name="override_remove"),
]

# The public booking page, under /book/ (no account needed).
public_urlpatterns = [
    path("manage/<str:secret>/", public_views.manage_page, name="manage"),
    path("manage/<str:secret>/cancel/", public_views.manage_cancel, name="manage_cancel"),
    path("manage/<str:secret>/move/", public_views.manage_move, name="manage_move"),
    path("<slug:slug>/", public_views.profile_page, name="profile"),
    path("<slug:slug>/photo.jpg", public_views.photo, name="photo"),
    path("<slug:slug>/<uuid:id>/", public_views.slots_page, name="slots"),
    path("<slug:slug>/<uuid:id>/details/", public_views.details_page, name="details"),
]
