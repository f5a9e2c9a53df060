from __future__ import annotations

from django.urls import path

from tend.rituals import checkin_views, views

app_name = "rituals"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<uuid:id>/", views.detail, name="detail"),
    path("<uuid:id>/occurrences/", views.mark, name="mark"),
    path("<uuid:id>/archive/", views.archive, name="archive"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar_feed"),
    path("checkins/", checkin_views.index, name="checkins"),
    path("checkins/start/", checkin_views.start, name="checkin_start"),
    path("checkins/<uuid:id>/", checkin_views.detail, name="checkin"),
    path("checkins/<uuid:id>/answer/", checkin_views.answer, name="checkin_answer"),
    path("actions/<uuid:id>/done/", checkin_views.action_done, name="action_done"),
]
