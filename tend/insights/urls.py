from __future__ import annotations

from django.urls import path

from tend.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
]
