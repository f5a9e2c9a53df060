from __future__ import annotations

from django.urls import path

from tend.api import views

app_name = "tokens"

urlpatterns = [
    path("", views.tokens_index, name="index"),
    path("<uuid:token_id>/revoke/", views.tokens_revoke, name="revoke"),
]
