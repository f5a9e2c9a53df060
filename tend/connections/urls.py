from __future__ import annotations

from django.urls import URLPattern, path

from tend.connections import safety_views, share_views, views

app_name = "connections"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("visibility/", views.visibility, name="visibility"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<uuid:id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("join/", views.join, name="join"),
    path("shares/", share_views.shares, name="shares"),
    path("shares/revoke-all/", share_views.shares_revoke_all, name="shares_revoke_all"),
    path("shares/<uuid:id>/revoke/", share_views.share_revoke, name="share_revoke"),
    path("shared/", share_views.shared_with_me, name="shared"),
    path("shared/<uuid:id>/", share_views.shared_item, name="shared_item"),
    path(
        "shared/<uuid:id>/moments/<uuid:moment_id>/",
        share_views.shared_moment,
        name="shared_moment",
    ),
    path("safety/", safety_views.safety, name="safety"),
    path("discreet/", safety_views.discreet, name="discreet"),
    path("<uuid:id>/", views.detail, name="detail"),
    path("<uuid:id>/label/", views.label, name="label"),
    path("<uuid:id>/end/", views.end, name="end"),
    path("<uuid:id>/share/", share_views.share_new, name="share_new"),
]
