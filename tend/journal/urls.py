from __future__ import annotations

from django.urls import path

from tend.journal import views

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.capture, name="capture"),
    path("<uuid:id>/", views.detail, name="detail"),
    path("<uuid:id>/edit/", views.edit, name="edit"),
    path("<uuid:id>/delete/", views.delete, name="delete"),
    path("<uuid:id>/restore/", views.restore, name="restore"),
]
