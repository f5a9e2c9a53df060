"""The export: the whole journal as one JSON document (complete), and as JSON text."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from tend.journal.models import Moment, Theme
from tend.journal.moment_fields import MOMENT_FIELDS
from tend.journal.selectors import moments_of, own_vocabulary
from tend.journal.transfer.common import FORMAT, FORMAT_VERSION, optional_model

if TYPE_CHECKING:
    from tend.accounts.models import User


def _local_iso(moment_time: dt.datetime, user: User) -> str:
    return timezone.localtime(moment_time, user.tz).isoformat()


def _moment_record(
    moment: Moment,
    user: User,
    people: dict[uuid.UUID, list[str]] | None,
    versions: list[dict[str, Any]],
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(moment.id)}
    for name in MOMENT_FIELDS:
        value = getattr(moment, name)
        data[name] = _local_iso(value, user) if name == "occurred_at" else value
    data["theme"] = str(moment.theme_id) if moment.theme_id else None
    if people is not None:
        data["people"] = people.get(moment.id, [])
    data["edited"] = moment.edited
    data["created_at"] = moment.created_at.isoformat()
    data["updated_at"] = moment.updated_at.isoformat()
    data["versions"] = versions
    return data


def _versions_of(
    user: User, *, people: list[str], themes: set[str]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each moment's earlier versions, oldest first, as export records.

    A version keeps the ids of the people and theme it had. One deleted since has no label
    left to export, so it is left out: the file names only people and themes it lists.
    """
    from tend.journal.version_models import MomentVersion

    order = {pid: index for index, pid in enumerate(people)}
    by_moment: dict[uuid.UUID, list[dict[str, Any]]] = {}
    rows = (
        MomentVersion.objects.filter(author=user, moment__author=user)
        .select_related("author__data_key")
        .order_by("moment_id", "number")
    )
    for version in rows:
        data: dict[str, Any] = {"number": version.number, "saved_at": version.saved_at.isoformat()}
        for name in MOMENT_FIELDS:
            value = getattr(version, name)
            data[name] = _local_iso(value, user) if name == "occurred_at" else value
        theme = str(version.theme_id) if version.theme_id else None
        data["theme"] = theme if theme in themes else None
        data["people"] = sorted(
            (str(p) for p in version.people or [] if str(p) in order), key=order.__getitem__
        )
        by_moment.setdefault(version.moment_id, []).append(data)
    return by_moment


def _people_of(user: User) -> tuple[list[dict[str, Any]], dict[uuid.UUID, list[str]]]:
    person_model = optional_model("Person")
    link_model = optional_model("MomentPerson")
    if person_model is None or link_model is None:
        return [], {}
    people = [
        {"id": str(p.pk), "label": p.label}  # type: ignore[attr-defined]
        for p in person_model.objects.filter(owner=user).select_related("owner__data_key")
    ]
    by_moment: dict[uuid.UUID, list[str]] = {}
    # In the order of the person's list, as moments show them, so an export reads the same
    # every time.
    links = (
        link_model.objects.filter(person__owner=user)
        .order_by("person__created_at", "person_id")
        .values_list("moment_id", "person_id")
    )
    for moment_id, person_id in links:
        by_moment.setdefault(moment_id, []).append(str(person_id))
    return people, by_moment


def journal_export(*, user: User) -> dict[str, Any]:
    """The whole journal of ``user`` as one JSON-able document (decrypted for them alone)."""
    people, by_moment = _people_of(user)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "time_zone": user.time_zone,
        "own_vocabulary": [
            {"code": entry.code, "kind": entry.kind, "label": entry.label}
            for entry in own_vocabulary(owner=user)
        ],
        "themes": [
            {"id": str(theme.id), "name": theme.name, "archived": theme.archived}
            for theme in Theme.objects.filter(owner=user).select_related("owner__data_key")
        ],
    }
    keeps_people = optional_model("Person") is not None
    if keeps_people:
        document["people"] = people
    versions = _versions_of(
        user,
        people=[p["id"] for p in people],
        themes={t["id"] for t in document["themes"]},
    )
    document["moments"] = [
        _moment_record(
            moment, user, by_moment if keeps_people else None, versions.get(moment.id, [])
        )
        for moment in moments_of(viewer=user)
    ]
    return document


def journal_export_json(*, user: User) -> str:
    return json.dumps(journal_export(user=user), ensure_ascii=False, indent=2) + "\n"
