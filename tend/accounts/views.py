from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def settings_index(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html")
