"""Import and export of a journal: JSON round trips, CSV for spreadsheets, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zoneinfo
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tend.accounts.models import User
from tend.accounts.tests.factories import UserFactory
from tend.api.services import token_create
from tend.api.tests.conftest import assert_problem, token_client
from tend.conftest import client_for
from tend.journal import transfer, vocabulary
from tend.journal.models import Moment, Theme, VocabularyEntry
from tend.journal.people import person_add
from tend.journal.services import moment_log, moment_update, vocabulary_entry_add
from tend.journal.transfer import (
    ImportRejected,
    journal_export,
    journal_export_csv,
    journal_export_json,
    journal_import,
)
from tend.journal.validation import TEXT_LIMITS

pytestmark = pytest.mark.django_db

CANARY = "CANARY-transfer-7e1f-only-alice"
EXPORT = "/api/v1/moments/export"
IMPORT = "/api/v1/moments/import"


def full_moment(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "activation",
        "occurred_at": dt.datetime(2026, 3, 4, 19, 30, tzinfo=dt.UTC),
        "cue": "Phone lit up at dinner 📱",
        "story": "שלום — I told myself I come second",
        "part": "the little one",
        "urge": "grab the phone",
        "action": "went quiet",
        "helped": "hand on my chest",
        "notes": "line one\nline two",
        "states": ["fight", "freeze"],
        "intensity": 7,
        "body": [{"region": "chest", "sensations": ["tight", "racing"], "intensity": 6}],
        "needs": ["not_prioritised"],
        "contexts": ["at_home", "messages"],
        "intensity_after": 3,
        "minutes_to_settle": 20,
    }
    fields.update(overrides)
    return fields


def normalised(document: dict[str, Any]) -> list[str]:
    """The content of an export, without what differs between accounts (ids, write times)."""
    own = {item["code"]: f"own:{item['label']}" for item in document["own_vocabulary"]}
    themes = {item["id"]: (item["name"], item["archived"]) for item in document["themes"]}
    people = {item["id"]: item["label"] for item in document.get("people", [])}

    def content(item: dict[str, Any]) -> dict[str, Any]:
        item = dict(item)
        for name in ("id", "created_at", "updated_at"):
            item.pop(name, None)
        item["occurred_at"] = dt.datetime.fromisoformat(item["occurred_at"]).astimezone(dt.UTC)
        if "saved_at" in item:
            item["saved_at"] = dt.datetime.fromisoformat(item["saved_at"]).astimezone(dt.UTC)
        item["needs"] = [own.get(c, c) for c in item["needs"]]
        item["contexts"] = [own.get(c, c) for c in item["contexts"]]
        item["theme"] = themes.get(item["theme"]) if item["theme"] else None
        if "people" in item:
            # In the order the moment names them (the order of the person's list).
            item["people"] = [people[p] for p in item["people"]]
        if "versions" in item:
            item["versions"] = [content(v) for v in item["versions"]]
        return item

    moments = [
        json.dumps(content(item), sort_keys=True, default=str, ensure_ascii=False)
        for item in document["moments"]
    ]
    return sorted(moments)


def lists(document: dict[str, Any]) -> tuple[list[str], list[tuple[str, bool]]]:
    """The people and themes an export lists, in its order, by label and name."""
    return (
        [item["label"] for item in document.get("people", [])],
        [(item["name"], item["archived"]) for item in document["themes"]],
    )


# ---- JSON round trip ----------------------------------------------------------------------------

# Text a person might write: any letters, emoji and right-to-left scripts included, but never the
# control characters the journal refuses or lone surrogates (which are not text at all).
_letters = st.characters(exclude_categories=("Cs", "Cc"))
_writing = st.one_of(
    st.text(_letters, max_size=40),
    st.sampled_from(["مرحبا بك 🌿", "שלום, ‏אני כאן", "🫶🏽 hand on my knee", "line\nbreak\ttab"]),
    st.just("ל" * 1500 + " 😀 " + "x" * 400),
)


def _clip(limit: int) -> Callable[[str], str]:
    return lambda text: text[:limit]


_codes = lambda kind: st.lists(st.sampled_from(sorted(vocabulary.codes(kind))), unique=True)  # noqa: E731
_scale = st.none() | st.integers(0, 10)
_body = st.lists(
    st.fixed_dictionaries(
        {
            "region": st.sampled_from(sorted(vocabulary.codes("regions"))),
            "sensations": _codes("sensations").map(lambda s: s[:4]),
            "intensity": _scale,
        }
    ),
    max_size=4,
    unique_by=lambda entry: entry["region"],
)
_moment = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["activation", "glimmer"]),
        "occurred_at": st.datetimes(
            # hypothesis takes naive bounds and adds the time zone itself.
            min_value=dt.datetime(2001, 1, 1),  # noqa: DTZ001
            max_value=dt.datetime(2025, 12, 31),  # noqa: DTZ001
            timezones=st.sampled_from(
                [dt.UTC, zoneinfo.ZoneInfo("Asia/Jerusalem"), zoneinfo.ZoneInfo("America/Lima")]
            ),
        ),
        **{name: _writing.map(_clip(TEXT_LIMITS[name])) for name in TEXT_LIMITS},
        "states": _codes("states").map(lambda s: s or ["connected"]),
        "intensity": _scale,
        "body": _body,
        "needs": _codes("needs"),
        "contexts": _codes("contexts"),
        "intensity_after": _scale,
        "minutes_to_settle": st.none() | st.integers(0, 7 * 24 * 60),
    }
)


# People's labels: any letters (emoji and right-to-left included), one line, unique as the
# journal compares them (case-folded).
_label = st.text(_letters, min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(
    bool
) | st.sampled_from(["סבסטיאן", "ليلى 🌙", "R.", "Sam (nesting partner)"])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moments=st.lists(_moment, min_size=1, max_size=3),
    own_label=st.text(_letters, max_size=40) | st.just("ביחד 🫶"),
    edit=st.booleans(),
    labels=st.lists(_label, min_size=1, max_size=3, unique_by=lambda t: t.casefold()),
    later=_moment,
)
def test_a_json_export_imported_into_an_empty_account_exports_the_same(
    moments: list[dict[str, Any]],
    own_label: str,
    edit: bool,
    labels: list[str],
    later: dict[str, Any],
) -> None:
    owner = cast(User, UserFactory(time_zone="Asia/Jerusalem"))
    newcomer = cast(User, UserFactory(time_zone="America/Lima"))
    label = own_label.strip()[:60] or "being chosen"
    own, _ = vocabulary_entry_add(owner=owner, kind="needs", label=label)
    theme = Theme(owner=owner, name="phone at dinner 📱")
    theme.save()
    Theme(owner=owner, name="an old pattern", archived=True).save()
    people = [person_add(owner=owner, label=text)[0] for text in labels]
    for index, fields in enumerate(moments):
        moment, _ = moment_log(author=owner, people=[people[0].id], **fields)
        if index == 0:
            # Two edits: the moment as first logged and as first edited become versions 1
            # and 2, each with the people (and theme) it had then.
            moment_update(actor=owner, moment=moment, needs=[*fields["needs"], own.code])
            Moment.objects.filter(pk=moment.pk).update(theme=theme, edited=edit)
            moment.refresh_from_db()
            # Some fields, not all: the edit's audit entry names what changed.
            changed = {k: later[k] for k in ("occurred_at", "cue", "story", "states", "body")}
            moment_update(actor=owner, moment=moment, people=[p.id for p in people], **changed)
    exported = json.loads(journal_export_json(user=owner))
    # The first edit always changes something; the second only if ``later`` differs.
    first = max(exported["moments"], key=lambda m: len(m["versions"]))
    assert [v["number"] for v in first["versions"]] in ([1], [1, 2])
    assert first["versions"][0]["people"] == [str(people[0].id)]

    result = journal_import(
        importer=newcomer, data=journal_export_json(user=owner).encode(), fmt="json"
    )

    assert result.created == len(moments)
    assert result.people_created == len(labels)
    again = journal_export(user=newcomer)
    assert again["format"] == "tend.journal" and again["version"] == transfer.FORMAT_VERSION
    assert normalised(again) == normalised(exported)
    assert lists(again) == lists(exported)


def test_the_json_export_holds_every_field_of_every_moment(alice: User) -> None:
    moment_log(author=alice, **full_moment())
    document = journal_export(user=alice)
    (item,) = document["moments"]
    for name in transfer.MOMENT_FIELDS:
        assert name in item, name
    assert item["cue"] == "Phone lit up at dinner 📱"
    assert item["body"] == [{"region": "chest", "sensations": ["tight", "racing"], "intensity": 6}]
    # In the person's own time zone (the factory's Europe/Berlin), so a reader sees local time.
    assert item["occurred_at"] == "2026-03-04T20:30:00+01:00"


def test_importing_your_own_export_adds_nothing(alice: User) -> None:
    moment_log(author=alice, **full_moment())
    data = journal_export_json(user=alice).encode()
    result = journal_import(importer=alice, data=data, fmt="json")
    assert (result.created, result.already_there) == (0, 1)
    assert Moment.objects.filter(author=alice).count() == 1


def test_running_the_same_import_twice_does_not_duplicate(alice: User, bob: User) -> None:
    moment_log(author=alice, **full_moment())
    moment_log(author=alice, **full_moment(kind="glimmer", cue="'I've got you'", states=[]))
    data = journal_export_json(user=alice).encode()
    first = journal_import(importer=bob, data=data, fmt="json")
    second = journal_import(importer=bob, data=data, fmt="json")
    assert (first.created, second.created, second.already_there) == (2, 0, 2)
    assert Moment.objects.filter(author=bob).count() == 2
    assert Theme.objects.filter(owner=bob).count() == 0


def test_a_bad_moment_in_json_is_reported_by_number_and_nothing_is_stored(
    alice: User, bob: User
) -> None:
    vocabulary_entry_add(owner=alice, kind="contexts", label="at the lake")
    moment_log(author=alice, **full_moment())
    document = journal_export(user=alice)
    own_code = document["own_vocabulary"][0]["code"]
    document["moments"][0]["contexts"] = [own_code]
    document["moments"].append(dict(document["moments"][0], intensity=11, id="x"))
    data = json.dumps(document).encode()

    with pytest.raises(ImportRejected) as rejected:
        journal_import(importer=bob, data=data, fmt="json")

    messages = [str(error) for error in rejected.value.errors]
    assert messages == ["Moment 2, intensity: Choose a number from 0 (none) to 10 (the most)."]
    assert not Moment.objects.filter(author=bob).exists()
    # The own words the good row brought were rolled back with everything else.
    assert not VocabularyEntry.objects.filter(owner=bob).exists()


def test_a_file_that_is_not_a_tend_export_says_so(alice: User) -> None:
    with pytest.raises(ImportRejected) as rejected:
        journal_import(importer=alice, data=b'{"moments": []}', fmt="json")
    assert "not a Tend journal export" in str(rejected.value.errors[0])
    with pytest.raises(ImportRejected) as rejected:
        journal_import(importer=alice, data=b"\xff\xfe not utf-8", fmt="csv")
    assert "not UTF-8" in str(rejected.value.errors[0])


def test_a_file_over_the_limit_is_refused_with_the_limit(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer.common, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(ImportRejected) as rejected:
        journal_import(importer=alice, data=b"{" + b" " * 200 + b"}", fmt="json")
    assert "import at most" in str(rejected.value.errors[0])


# ---- CSV ----------------------------------------------------------------------------------------


def test_the_csv_export_has_one_row_a_moment_for_spreadsheets(alice: User) -> None:
    own, _ = vocabulary_entry_add(owner=alice, kind="needs", label="being chosen")
    moment_log(author=alice, **full_moment(needs=["not_prioritised", own.code], cue="=1+1"))
    moment_log(author=alice, **full_moment(kind="glimmer", states=["connected"]))
    text = journal_export_csv(user=alice)
    assert text.startswith("\ufeff")  # the byte order mark Excel needs to read UTF-8
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[0] == ",".join(transfer.CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    activation = next(r for r in rows if r["kind"] == "activation")
    assert activation["states"] == "fight; freeze"
    assert activation["needs"] == "not_prioritised; own:being chosen"
    assert activation["body"] == "chest:tight+racing:6"
    # A spreadsheet would run "=1+1" as a formula; the apostrophe keeps it text.
    assert activation["cue"] == "'=1+1"
    assert activation["notes"] == "line one\nline two"


def test_a_csv_export_imports_into_another_account(alice: User, bob: User) -> None:
    own, _ = vocabulary_entry_add(owner=alice, kind="needs", label="being chosen")
    moment_log(author=alice, **full_moment(needs=["not_prioritised", own.code], cue="=1+1"))
    data = journal_export_csv(user=alice).encode("utf-8")

    result = journal_import(importer=bob, data=data, fmt="csv")

    assert result.created == 1
    moment = Moment.objects.get(author=bob)
    assert moment.cue == "=1+1"
    (bobs_own,) = VocabularyEntry.objects.filter(owner=bob)
    assert bobs_own.label == "being chosen"
    assert moment.needs == ["not_prioritised", bobs_own.code]
    assert moment.body == [{"region": "chest", "sensations": ["tight", "racing"], "intensity": 6}]
    assert (moment.intensity, moment.intensity_after, moment.minutes_to_settle) == (7, 3, 20)
    again = journal_import(importer=bob, data=data, fmt="csv")
    assert (again.created, again.already_there) == (0, 1)


BROKEN_CSV = (
    "kind,occurred_at,cue,states,intensity,body\r\n"
    "activation,2026-01-05T20:00+01:00,phone at dinner,fight,6,chest:tight:5\r\n"
    "glimmer,2026-01-06T08:00+01:00,hand on my knee,connected,,\r\n"
    "activation,2026-01-07T21:00+01:00,texts left on read,flight,11,\r\n"
    "activation,2026-01-08T21:00+01:00,missing a cell,flight\r\n"
    "activation,2099-01-08T21:00+01:00,from the future,panic,5,elbow:tight:3\r\n"
)


def test_a_csv_with_broken_rows_says_what_to_fix_in_each_and_stores_nothing(alice: User) -> None:
    with pytest.raises(ImportRejected) as rejected:
        journal_import(importer=alice, data=BROKEN_CSV.encode(), fmt="csv")
    messages = [str(error) for error in rejected.value.errors]
    assert messages == [
        "Row 5: This row has 4 cells; the header has 6. Check for a missing or extra comma.",
    ]
    fixed = BROKEN_CSV.replace("missing a cell,flight", "missing a cell,flight,,")
    with pytest.raises(ImportRejected) as rejected:
        journal_import(importer=alice, data=fixed.encode(), fmt="csv")
    messages = [str(error) for error in rejected.value.errors]
    assert "Row 4, intensity: Choose a number from 0 (none) to 10 (the most)." in messages
    assert "Row 6, occurred_at: Choose a time that has already happened." in messages
    assert "Row 6, states: Choose from the list; something chosen here is not in it." in messages
    assert "Row 6, body: Entry 1: choose a body region from the map." in messages
    assert not any(m.startswith(("Row 2", "Row 3", "Row 5")) for m in messages)
    assert not Moment.objects.filter(author=alice).exists()


def test_a_fixed_csv_imports_every_row(alice: User) -> None:
    fixed = BROKEN_CSV.replace(",11,", ",9,").replace("missing a cell,flight", "ok,flight,,")
    fixed = fixed.replace("2099", "2025").replace("panic", "freeze").replace("elbow", "jaw")
    result = journal_import(importer=alice, data=("\ufeff" + fixed).encode(), fmt="csv")
    assert result.created == 5
    assert Moment.objects.filter(author=alice, kind="glimmer").count() == 1


# ---- API and pages: who may export and import what ---------------------------------------------


def api_for(user: User) -> Any:
    return token_client(token_create(user=user, name="test", scope="write")[1])


def test_the_api_exports_only_your_own_journal(alice: User, bob: User) -> None:
    moment_log(author=alice, **full_moment(cue=CANARY))
    mine = api_for(alice).get(EXPORT)
    assert mine.status_code == 200 and CANARY.encode() in mine.content
    assert mine["Content-Disposition"].startswith('attachment; filename="tend-journal-')
    for fmt in ("json", "csv"):
        theirs = api_for(bob).get(EXPORT, {"format": fmt})
        assert theirs.status_code == 200
        assert CANARY.encode() not in theirs.content
    assert json.loads(api_for(bob).get(EXPORT).content)["moments"] == []


def test_an_api_import_lands_in_the_importers_own_journal_only(alice: User, bob: User) -> None:
    moment_log(author=alice, **full_moment(cue=CANARY))
    data = journal_export_json(user=alice).encode()
    upload = SimpleUploadedFile("journal.json", data, content_type="application/json")
    response = api_for(bob).post(IMPORT, {"file": upload})
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    assert Moment.objects.filter(author=bob).get().cue == CANARY
    assert Moment.objects.filter(author=alice).count() == 1


def test_an_api_import_with_a_broken_row_is_a_problem_listing_rows(alice: User) -> None:
    upload = SimpleUploadedFile("moments.csv", BROKEN_CSV.encode(), content_type="text/csv")
    response = api_for(alice).post(IMPORT, {"file": upload})
    body = assert_problem(response, 422)
    assert body["errors"] == [
        {
            "location": "file.row 5",
            "message": "Row 5: This row has 4 cells; the header has 6. Check for a missing or "
            "extra comma.",
        }
    ]
    assert not Moment.objects.filter(author=alice).exists()


def test_a_read_token_cannot_import(alice: User) -> None:
    client = token_client(token_create(user=alice, name="r", scope="read")[1])
    upload = SimpleUploadedFile("m.csv", b"kind,occurred_at,states\r\n", content_type="text/csv")
    assert client.post(IMPORT, {"file": upload}).status_code == 403


def test_the_import_page_reports_rows_and_then_imports(alice: User) -> None:
    client = client_for(alice)
    page = client.get("/settings/data/journal/import/")
    assert page.status_code == 200
    bad = SimpleUploadedFile("moments.csv", BROKEN_CSV.encode(), content_type="text/csv")
    response = client.post("/settings/data/journal/import/", {"file": bad})
    assert response.status_code == 400
    assert "Row 5: This row has 4 cells" in response.content.decode()
    good = BROKEN_CSV.replace(",11,", ",9,").replace("missing a cell,flight", "ok,flight,,")
    good = good.replace("2099", "2025").replace("panic", "freeze").replace("elbow", "jaw")
    upload = SimpleUploadedFile("moments.csv", good.encode(), content_type="text/csv")
    response = client.post("/settings/data/journal/import/", {"file": upload})
    assert response.status_code == 302
    assert Moment.objects.filter(author=alice).count() == 5


def test_the_export_page_downloads_only_your_own(alice: User, bob: User) -> None:
    moment_log(author=alice, **full_moment(cue=CANARY))
    response = client_for(bob).get("/settings/data/journal/export/?format=csv")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    assert CANARY.encode() not in response.content
    assert CANARY.encode() in client_for(alice).get("/settings/data/journal/export/").content
