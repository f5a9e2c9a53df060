"""The person a request is made by, typed once for every page and API handler."""

from __future__ import annotations

from django.http import HttpRequest

from tend.accounts.models import User


def person_of(request: HttpRequest) -> User:
    """The signed-in person making ``request``.

    Pages: ``LoginRequiredMiddleware`` lets no anonymous request reach a view that asks (public
    views are marked ``@login_not_required`` and do not). API: the handler runs only once an
    authenticator (``tend.api.auth``: a token or the session) has put the person on
    ``request.auth``; endpoints open to anyone (``auth=None``) do not ask.
    """
    person = getattr(request, "auth", None)
    if person is None:
        person = request.user
    assert isinstance(person, User), "only for requests a signed-in person makes"
    return person
