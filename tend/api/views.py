"""Settings → API tokens: list, create (the secret is shown once) and revoke."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tend.api.forms import TokenCreateForm
from tend.api.selectors import token_of, tokens_of
from tend.api.services import token_create, token_revoke


@require_http_methods(["GET", "HEAD", "POST"])
def tokens_index(request: HttpRequest) -> HttpResponse:
    created = None
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.expires_in_days(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenCreateForm()  # an empty form for the next token
    context = {
        "form": form,
        "tokens": tokens_of(user=request.user),  # type: ignore[arg-type]
        "created": created[0] if created else None,
        "created_secret": created[1] if created else None,
    }
    # An invalid form answers 200 like any Django form page: browsers log 4xx documents as
    # console errors, and the page itself says what to fix.
    return render(request, "api/tokens.html", context)


@require_POST
def tokens_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = token_of(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("Token revoked. Anything using it can no longer reach Tend."))
    return redirect("tokens:index")
