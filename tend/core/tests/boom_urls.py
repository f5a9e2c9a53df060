"""A URLconf for privacy tests: a view that fails while holding what a person wrote."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as tend_urlpatterns

logger = logging.getLogger("tend.tests")


@csrf_exempt
@login_not_required
def boom(request: HttpRequest) -> HttpResponse:
    cue = request.POST.get("cue", "")
    logger.warning("received %s", request)
    raise ValueError(f"could not handle {cue}")


urlpatterns = [path("boom/", boom), *tend_urlpatterns]
