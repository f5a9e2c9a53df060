from __future__ import annotations

from django.conf import settings
from django.urls import include, path

from tend.api.routes import api
from tend.booking import urls as booking_urls
from tend.core import views as core_views
from tend.journal import offline

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("home/", core_views.home, name="home"),
    path("manifest.webmanifest", core_views.manifest, name="manifest"),
    path("healthz", core_views.healthz, name="healthz"),
    # The service worker must come from the root to look after /journal/new/.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("accounts/", include("allauth.urls")),
    path("settings/tokens/", include("tend.api.urls")),
    path("settings/", include("tend.accounts.urls")),
    path("journal/", include("tend.journal.urls")),
    path("insights/", include("tend.insights.urls")),
    path("practices/", include("tend.practices.urls")),
    path("connections/", include("tend.connections.urls")),
    path("careplans/", include("tend.careplans.urls")),
    path("rituals/", include("tend.rituals.urls")),
    path("notifications/", include("tend.notifications.urls")),
    path("booking/", include("tend.booking.urls")),
    path("book/", include((booking_urls.public_urlpatterns, "book"))),
    path("coaching/", include("tend.coaching.urls")),
    path("api/v1/", api.urls),
]

if settings.TEND_BENCH:
    urlpatterns += [path("bench/floor", core_views.bench_floor, name="bench_floor")]

handler404 = "tend.core.views.not_found"
handler500 = "tend.core.views.server_error"
