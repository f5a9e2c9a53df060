from __future__ import annotations

from django.urls import URLPattern, path

from tend.coaching import homework_views, practice_views, views

app_name = "coaching"

urlpatterns: list[URLPattern] = [
    path("", practice_views.practice, name="dashboard"),
    path("calls/<uuid:id>/summary/", practice_views.summary, name="summary"),
    path("summaries/", practice_views.received, name="summaries"),
    path("summaries/<uuid:id>/", practice_views.received_one, name="summary_received"),
    path(
        "summaries/<uuid:id>/delete/",
        practice_views.received_delete,
        name="summary_received_delete",
    ),
    path("calls/<uuid:id>/worksheet/", views.worksheet, name="worksheet"),
    path("calls/<uuid:id>/worksheet/hand-over/", views.handover_send, name="handover_send"),
    path("calls/<uuid:id>/worksheet/withdraw/", views.handover_withdraw, name="handover_withdraw"),
    path("maps/<uuid:id>/", views.handover, name="handover"),
    path("clients/", views.clients, name="clients"),
    path("clients/<uuid:id>/", views.client_detail, name="client"),
    path("clients/<uuid:id>/archive/", views.client_archive, name="client_archive"),
    path("notes/<uuid:id>/", views.note_edit, name="note_edit"),
    path("notes/<uuid:id>/delete/", views.note_delete, name="note_delete"),
    path("clients/<uuid:id>/suggestions/", homework_views.suggest, name="suggest"),
    path(
        "suggestions/<uuid:id>/withdraw/",
        homework_views.withdraw,
        name="suggestion_withdraw",
    ),
    path("suggestions/<uuid:id>/decline/", homework_views.decline, name="suggestion_decline"),
]
