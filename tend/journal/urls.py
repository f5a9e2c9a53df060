from __future__ import annotations

from django.urls import path

from tend.journal import history_views, people_views, theme_views, views

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.capture, name="capture"),
    path("new/who/", views.capture_who, name="capture_who"),
    path("<uuid:id>/", views.detail, name="detail"),
    path("<uuid:id>/edit/", views.edit, name="edit"),
    path("<uuid:id>/delete/", views.delete, name="delete"),
    path("<uuid:id>/restore/", views.restore, name="restore"),
    path("themes/", theme_views.themes, name="themes"),
    path("themes/suggest/", theme_views.theme_suggest_view, name="theme_suggest"),
    path("themes/<uuid:id>/rename/", theme_views.theme_rename_view, name="theme_rename"),
    path("themes/<uuid:id>/archive/", theme_views.theme_archive_view, name="theme_archive"),
    path("people/", people_views.people, name="people"),
    path("people/<uuid:id>/rename/", people_views.person_rename_view, name="person_rename"),
    path("people/<uuid:id>/delete/", people_views.person_delete_view, name="person_delete"),
    path("<uuid:id>/versions/<uuid:version_id>/", history_views.version, name="version"),
]
