from __future__ import annotations

from django.urls import path

from tend.booking import public_views, views

app_name = "booking"

# The practitioner's own pages, under /booking/ (sign-in required).
urlpatterns = [
    path("", views.index, name="index"),
    path("call-types/new/", views.call_type_edit, name="call_type_new"),
    path("call-types/<uuid:id>/", views.call_type_edit, name="call_type"),
    path("call-types/<uuid:id>/archive/", views.call_type_archive, name="call_type_archive"),
    path("hours/", views.hours, name="hours"),
    path("hours/overrides/", views.override_add, name="override_add"),
    path("hours/overrides/remove/", views.override_remove, name="override_remove"),
]

# The public booking page, under /book/ (no account needed).
public_urlpatterns = [
    path("<slug:slug>/", public_views.profile_page, name="profile"),
    path("<slug:slug>/booked/", public_views.booked_page, name="booked"),
    path("<slug:slug>/<uuid:id>/", public_views.slots_page, name="slots"),
    path("<slug:slug>/<uuid:id>/details/", public_views.details_page, name="details"),
]
