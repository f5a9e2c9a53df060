"""Trigger maps kept in the cache, sealed with their owner's data key, until their data changes.

A map of twenty thousand moments takes the database a hundred milliseconds or more to count; the
same map asked for again (the page, then its PDF, then the API, or a partner's shared view) need
not be counted again while nothing in it has changed. A kept map is found by its owner, the
revisions of the owner's map and of the months the period touches (``revisions.py``), the
period, the time zone and the language its words were put in; so a kept map is never staler
than the data its revisions name.

What is kept is what the person wrote (theme names, people, their words), so it is sealed like
their other words: AES-GCM with their own data key, bound to its cache key. Crypto-shredding a
person's key makes their kept maps unreadable too. Anything that does not unseal or load (an old
format, another key, a damaged entry) is recomputed, never shown.

What is kept is always the owner's map, with the names of their own practices. What others read
(``TriggerMap.seen_by_others``) is a copy made after the kept map is read and is never kept, so
the audience needs no place in the key: nothing kept was ever made for someone else.
"""

from __future__ import annotations

import datetime as dt
import pickle
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db.models import OuterRef, Subquery
from django.utils import translation

from tend.core import vault
from tend.core.models import DataKey
from tend.insights.models import MapRevision
from tend.insights.revisions import month_tokens, months_between, revisions_digest

# Raise when the kept objects change shape: maps kept by an older release are then not found.
# 2: ``Help.own`` (a map kept before it would read every practice as not one's own, and so
# name one's own practices to others). 3: the map's classes moved to ``maps.py``.
FORMAT = 3
# Periods end "now" or at the end of today, so keys move on by themselves; a day is long enough.
TIMEOUT = 24 * 60 * 60

T = TypeVar("T")


def _key(
    owner_id: uuid.UUID,
    token: str,
    months: dict[dt.date, str],
    tz: str,
    start: dt.datetime,
    end: dt.datetime,
) -> str:
    period = f"{start.timestamp():.6f}-{end.timestamp():.6f}"
    language = translation.get_language() or "-"
    digest = revisions_digest(months, token)
    return f"tend:insights:map:{FORMAT}:{owner_id}:{digest}:{tz}:{language}:{period}"


def kept_or_built(
    *, owner_id: uuid.UUID, tz: str, start: dt.datetime, end: dt.datetime, build: Callable[[], T]
) -> T:
    """The map kept for this owner, revisions and period, or ``build()``'s, kept for next time."""
    # The data key with the map's revision, then the revisions of the period's months: a kept
    # map costs two queries in all.
    row = (
        DataKey.objects.filter(user_id=owner_id)
        .annotate(
            map_token=Subquery(
                MapRevision.objects.filter(owner_id=OuterRef("user_id")).values("token")[:1]
            )
        )
        .first()
    )
    if row is None:
        return build()  # nothing written yet, or shredded: nothing to seal with, nothing to keep
    data_key = vault.data_key(owner_id, row=row)
    months = month_tokens(owner_id, months_between(start, end))
    key = _key(owner_id, row.map_token or "-", months, tz, start, end)
    context = b"tend.insights.map\x00" + key.encode()
    sealed = caches["insights"].get(key)
    if isinstance(sealed, bytes):
        try:
            return pickle.loads(vault.unseal(sealed, key=data_key, context=context))  # type: ignore[no-any-return]  # noqa: S301 - authenticated above
        except Exception:  # noqa: S110 - anything unreadable is recomputed
            pass
    built = build()
    caches["insights"].set(
        key,
        vault.seal(
            pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL), key=data_key, context=context
        ),
        TIMEOUT,
    )
    return built
