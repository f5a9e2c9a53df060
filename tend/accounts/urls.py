from __future__ import annotations

from django.urls import path

from tend.accounts import views
from tend.journal import transfer_views

app_name = "settings"

urlpatterns = [
    path("", views.settings_index, name="index"),
    path("activity/", views.security_activity, name="activity"),
    path("data/", views.your_data, name="data"),
    path("data/export/", views.export_download, name="export"),
    path("data/delete/", views.account_delete_view, name="delete"),
    path("data/journal/export/", transfer_views.journal_export_view, name="journal_export"),
    path("data/journal/import/", transfer_views.journal_import_view, name="journal_import"),
]
