from __future__ import annotations

from django.urls import path

from tend.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("read/", views.mark_read, name="mark_read"),
    path("<uuid:id>/open/", views.open_notice, name="open"),
    path("settings/", views.preferences, name="preferences"),
    path("devices/<uuid:id>/remove/", views.device_remove, name="device_remove"),
    path("push-sw.js", views.push_worker, name="push_worker"),
]
