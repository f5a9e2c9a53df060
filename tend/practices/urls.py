from __future__ import annotations

from django.urls import path

from tend.practices import flow_views, together_views, views

app_name = "practices"

urlpatterns = [
    path("", views.index, name="index"),
    path("practice/<slug:code>/", views.player, name="player"),
    path("own/", views.own, name="own"),
    path("own/new/", views.own_new, name="own_new"),
    path("own/<uuid:id>/", views.own_player, name="own_player"),
    path("own/<uuid:id>/edit/", views.own_edit, name="own_edit"),
    path("own/<uuid:id>/delete/", views.own_delete, name="own_delete"),
    path("activated/", flow_views.activated, name="activated"),
    path("activated/save/", flow_views.activated_save, name="activated_save"),
    path("history/", views.history, name="history"),
    path("sessions/record/", views.session_record, name="session_record"),
    path("sessions/<uuid:id>/", views.session_detail, name="session"),
    path("together/", together_views.start, name="together_start"),
    path("together/clock/", together_views.clock, name="clock"),
    # By id, for the invited connection; before the secret-link routes, which take any string.
    path("together/<uuid:id>/", together_views.invited, name="together_invited"),
    path(
        "together/<uuid:id>/status/",
        together_views.invited_status,
        name="together_invited_status",
    ),
    path("together/<uuid:id>/end/", together_views.invited_end, name="together_invited_end"),
    path("together/<str:token>/", together_views.together, name="together"),
    path("together/<str:token>/status/", together_views.status, name="together_status"),
    path("together/<str:token>/end/", together_views.end, name="together_end"),
    path(
        "together/<str:token>/invite/<uuid:connection_id>/",
        together_views.invite,
        name="together_invite",
    ),
]
