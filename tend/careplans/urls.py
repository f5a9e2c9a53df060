from __future__ import annotations

from django.urls import path

from tend.careplans import repair_views, views

app_name = "careplans"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<uuid:id>/", views.plan, name="plan"),
    path("<uuid:id>/propose/", views.propose, name="propose"),
    path("<uuid:id>/versions/<uuid:version_id>/", views.version, name="version"),
    path("<uuid:id>/versions/<uuid:version_id>/agree/", views.agree, name="agree"),
    path("<uuid:id>/versions/<uuid:version_id>/decline/", views.decline, name="decline"),
    path("<uuid:id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:id>/history/", views.history, name="history"),
    path("<uuid:id>/review/", views.review, name="review"),
    path("<uuid:id>/guide/", views.guide, name="guide"),
    path("repair/", repair_views.index, name="repair"),
    path("repair/pause/", repair_views.pause, name="repair_pause"),
    path("repair/<uuid:id>/", repair_views.detail, name="repair_detail"),
    path("repair/<uuid:id>/debrief/", repair_views.debrief, name="repair_debrief"),
]
