from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST


@login_not_required
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "core/landing.html")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from tend.accounts.models import User
    from tend.coaching.suggestion_selectors import suggestions_for_client
    from tend.core.home import now_for

    assert isinstance(request.user, User)
    return render(
        request,
        "core/home.html",
        {
            "now_lines": now_for(viewer=request.user),
            # A practitioner's live suggestions: one query, everything the cards draw joined in.
            "suggestions": list(suggestions_for_client(viewer=request.user)),
        },
    )


@login_not_required
@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    return render(request, "core/manifest.webmanifest", content_type="application/manifest+json")


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


@login_not_required
@csrf_exempt
@require_POST
def bench_floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: Django's full stack plus exactly one INSERT, and nothing else.

    Only routed when TEND_BENCH is set; the check here guards against a stray route. The table
    is created by the bench harness (bench/server.py) with raw SQL, so it needs no migration.
    """
    if not settings.TEND_BENCH:
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor_row (created_at) VALUES (%s)", [timezone.now()])
    return JsonResponse({"status": "ok"}, status=201)
