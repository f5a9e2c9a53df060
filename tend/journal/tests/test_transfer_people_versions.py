"""Import and export keep people (named or not) and earlier versions, checked like moments."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tend.accounts.models import User
from tend.journal.models import Moment, Person, Theme
from tend.journal.people import person_add, person_delete
from tend.journal.services import moment_log, moment_update
from tend.journal.tests.test_transfer import full_moment, lists, normalised
from tend.journal.transfer import (
    ImportRejected,
    journal_export,
    journal_export_json,
    journal_import,
)
from tend.journal.version_models import MomentVersion

pytestmark = pytest.mark.django_db


def alices_journal(alice: User) -> dict[str, Any]:
    """People (one named nowhere), themes (one archived), and a moment edited twice."""
    sam, _ = person_add(owner=alice, label="Sam 🌿")
    robin, _ = person_add(owner=alice, label="רובין")
    person_add(owner=alice, label="Ezra, named nowhere")
    dinner = Theme.objects.create(owner=alice, name="phone at dinner")
    Theme.objects.create(owner=alice, name="an old pattern", archived=True)
    moment, _ = moment_log(author=alice, people=[sam.id], **full_moment(cue="FIRST words"))
    moment_update(actor=alice, moment=moment, cue="SECOND words", people=[sam.id, robin.id])
    Moment.objects.filter(pk=moment.pk).update(theme=dinner)
    moment.refresh_from_db()
    moment_update(actor=alice, moment=moment, cue="THIRD words", intensity=4, people=[robin.id])
    moment_log(author=alice, **full_moment(kind="glimmer", cue="a hand on my knee", states=[]))
    return {"moment": moment, "sam": sam, "robin": robin}


def test_people_and_earlier_versions_come_back_the_same_in_an_empty_account(
    alice: User, bob: User
) -> None:
    alices_journal(alice)
    exported = json.loads(journal_export_json(user=alice))
    edited = next(m for m in exported["moments"] if m["versions"])
    labels = {p["id"]: p["label"] for p in exported["people"]}
    assert [(v["number"], v["cue"]) for v in edited["versions"]] == [
        (1, "FIRST words"),
        (2, "SECOND words"),
    ]
    assert [[labels[p] for p in v["people"]] for v in edited["versions"]] == [
        ["Sam 🌿"],
        ["Sam 🌿", "רובין"],
    ]
    assert [labels[p] for p in edited["people"]] == ["רובין"]

    result = journal_import(importer=bob, data=journal_export_json(user=alice).encode(), fmt="json")

    assert (result.created, result.people_created, result.themes_created) == (2, 3, 2)
    again = journal_export(user=bob)
    assert normalised(again) == normalised(exported)
    assert (
        lists(again)
        == lists(exported)
        == (
            ["Sam 🌿", "רובין", "Ezra, named nowhere"],
            [("phone at dinner", False), ("an old pattern", True)],
        )
    )
    # The versions are bob's own rows now: his key, his people's ids, the times they were saved.
    bobs = next(m for m in Moment.objects.filter(author=bob) if m.cue == "THIRD words")
    versions = list(MomentVersion.objects.filter(moment=bobs).order_by("number"))
    assert [v.cue for v in versions] == ["FIRST words", "SECOND words"]
    bobs_people = {str(p.id): p.label for p in Person.objects.filter(owner=bob)}
    assert [bobs_people[p] for p in versions[1].people] == ["Sam 🌿", "רובין"]
    assert versions[0].saved_at == dt.datetime.fromisoformat(edited["versions"][0]["saved_at"])
    assert all(v.author_id == bob.pk for v in versions)


def test_importing_twice_keeps_each_version_once(alice: User, bob: User) -> None:
    alices_journal(alice)
    data = journal_export_json(user=alice).encode()
    journal_import(importer=bob, data=data, fmt="json")
    second = journal_import(importer=bob, data=data, fmt="json")
    assert (second.created, second.already_there, second.people_created) == (0, 2, 0)
    assert MomentVersion.objects.filter(author=bob).count() == 2
    assert Person.objects.filter(owner=bob).count() == 3


def test_a_version_naming_someone_since_removed_exports_and_imports_without_them(
    alice: User, bob: User
) -> None:
    things = alices_journal(alice)
    person_delete(actor=alice, person=things["sam"])
    exported = journal_export(user=alice)
    edited = next(m for m in exported["moments"] if m["versions"])
    robin = str(things["robin"].id)
    assert [v["people"] for v in edited["versions"]] == [[], [robin]]
    journal_import(importer=bob, data=journal_export_json(user=alice).encode(), fmt="json")
    assert normalised(journal_export(user=bob)) == normalised(exported)


def test_a_version_one_file_without_versions_still_imports(alice: User, bob: User) -> None:
    alices_journal(alice)
    document = journal_export(user=alice)
    document["version"] = 1
    for item in document["moments"]:
        del item["versions"]
    result = journal_import(importer=bob, data=json.dumps(document).encode(), fmt="json")
    assert result.created == 2
    assert not MomentVersion.objects.filter(author=bob).exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"intensity": 11}, "Moment 1, versions 1.intensity:"),
        ({"states": ["panic"]}, "Moment 1, versions 1.states:"),
        ({"people": ["not-in-the-file"]}, "Moment 1, versions 1.people: Name people listed"),
        ({"theme": "not-in-the-file"}, "Moment 1, versions 1.theme: Name a theme listed"),
        ({"number": 0}, "Moment 1, versions 1.number: Number the versions"),
        ({"saved_at": "yesterday"}, "Moment 1, versions 1.saved_at:"),
        ({"mood": "x"}, "Moment 1, versions 1: Give each version the fields of a moment."),
    ],
)
def test_a_broken_earlier_version_is_reported_by_moment_and_nothing_is_stored(
    alice: User, bob: User, change: dict[str, Any], expected: str
) -> None:
    alices_journal(alice)
    document = journal_export(user=alice)
    document["moments"].sort(key=lambda m: -len(m["versions"]))
    document["moments"][0]["versions"][0].update(change)
    with pytest.raises(ImportRejected) as excinfo:
        journal_import(importer=bob, data=json.dumps(document).encode(), fmt="json")
    assert any(str(e).startswith(expected) for e in excinfo.value.errors), excinfo.value.errors
    assert not Moment.objects.filter(author=bob).exists()
    assert not Person.objects.filter(owner=bob).exists()
    assert not Theme.objects.filter(owner=bob).exists()
    assert not MomentVersion.objects.filter(author=bob).exists()
