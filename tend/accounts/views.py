"""The settings area: profile, security activity, and "your data" (export and delete)."""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.forms import DeleteAccountForm, ProfileForm
from tend.accounts.models import User
from tend.accounts.selectors import action_label, security_activity_page
from tend.accounts.services import account_delete, account_export, profile_update
from tend.core.languages import spoken_to


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def settings_index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm.for_user(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        profile_update(user=user, **form.cleaned_data)
        with spoken_to(user):  # a new language says so in itself
            messages.success(request, _("Your profile is saved."))
        return redirect("settings:index")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/settings.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def security_activity(request: HttpRequest) -> HttpResponse:
    page = security_activity_page(user=_user(request), page_number=request.GET.get("page"))
    events = [(event, action_label(event.action)) for event in page.object_list]
    return render(request, "accounts/activity.html", {"page": page, "events": events})


@login_required
@require_http_methods(["GET"])
def your_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data.html", {"form": DeleteAccountForm(user=_user(request))})


@login_required
@require_POST
def export_download(request: HttpRequest) -> HttpResponse:
    document = account_export(user=_user(request))
    filename = f"tend-export-{timezone.localdate().isoformat()}.json"
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def account_delete_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "accounts/data.html", {"form": form}, status=400)
    # The typed email is checked first, so that a typo is not met with a password prompt.
    return _account_delete_confirmed(request, user)


@reauthentication_required
def _account_delete_confirmed(request: HttpRequest, user: User) -> HttpResponse:
    # A signed-in session alone (a phone left unlocked, a stolen cookie) must not be able to
    # destroy everything: allauth asks for the password, or a passkey, unless it was given in
    # the last few minutes. It keeps this POST meanwhile and replays it once the person has
    # proved who they are, so they land here again with the same confirmed form.
    account_delete(user=user)
    # The session row may already be gone with the account; logout() flushes what is left.
    logout(request)
    messages.success(request, _("Your account and everything in it has been deleted."))
    return redirect("landing")
