"""One earlier version of a moment, as it was before an edit."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tend.accounts.models import User
from tend.journal import vocabulary
from tend.journal.history import version_as_moment, version_for, versions_of
from tend.journal.people import people_of
from tend.journal.selectors import moment_for, own_labels


@require_http_methods(["GET"])
def version(request: HttpRequest, id: uuid.UUID, version_id: uuid.UUID) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    moment = moment_for(viewer=user, id=id)
    kept = version_for(moment=moment, id=version_id)
    earlier = version_as_moment(kept)
    labels = own_labels(owner=user) if earlier.needs or earlier.contexts else {}
    names = {str(p.id): p.label for p in people_of(owner=user).filter(id__in=kept.people)}
    return render(
        request,
        "journal/version.html",
        {
            "moment": moment,
            "version": kept,
            "earlier": earlier,
            "count": versions_of(moment=moment).count(),
            "needs": [labels.get(c) or vocabulary.label("needs", c) for c in earlier.needs],
            "contexts": [
                labels.get(c) or vocabulary.label("contexts", c) for c in earlier.contexts
            ],
            "people": [names[pid] for pid in kept.people if pid in names],
            "people_forgotten": sum(1 for pid in kept.people if pid not in names),
        },
    )
