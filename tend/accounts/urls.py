from __future__ import annotations

from django.urls import path

from tend.accounts import views

app_name = "settings"

urlpatterns = [
    path("", views.settings_index, name="index"),
    path("activity/", views.security_activity, name="activity"),
    path("data/", views.your_data, name="data"),
    path("data/export/", views.export_download, name="export"),
    path("data/delete/", views.account_delete_view, name="delete"),
]
