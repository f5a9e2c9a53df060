"""The moment's fields are named once (``moment_fields.py``) and every reader uses that list."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tend.journal import moment_fields, transfer
from tend.journal.content_models import MomentContent
from tend.journal.history import moment_version_keep
from tend.journal.models import Moment
from tend.journal.moment_fields import MOMENT_FIELDS, STRUCTURED_FIELDS, TEXT_FIELDS
from tend.journal.version_models import MomentVersion

pytestmark = pytest.mark.django_db


def _names(model: type) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def test_the_moment_and_its_versions_have_every_field_named_and_share_their_definitions() -> None:
    for model in (Moment, MomentVersion):
        assert set(MOMENT_FIELDS) <= _names(model), model
    shared = {f.name for f in MomentContent._meta.fields}
    assert shared == set(MOMENT_FIELDS) - {"kind", "occurred_at"}
    assert set(TEXT_FIELDS) | set(STRUCTURED_FIELDS) == set(MOMENT_FIELDS)


def test_the_export_writes_the_fields_in_the_listed_order() -> None:
    assert transfer.MOMENT_FIELDS is MOMENT_FIELDS
    assert transfer.CSV_COLUMNS[1 : 1 + len(MOMENT_FIELDS)] == MOMENT_FIELDS


def test_a_kept_version_holds_every_field_of_the_moment(alice: object) -> None:
    moment = Moment.objects.create(
        author=alice, cue="late reply", story="waited", states=["freeze"], intensity=7, needs=[]
    )
    version = moment_version_keep(moment=moment)
    for name in MOMENT_FIELDS:
        assert getattr(version, name) == getattr(moment, name), name


def test_the_offline_script_reads_the_fields_the_page_names(alice_client: Client) -> None:
    page = alice_client.get("/journal/new/").content.decode()
    found = re.search(r'data-fields="([^"]*)"', page)
    assert found, "the queue banner names the moment's fields"
    assert json.loads(html.unescape(found.group(1))) == moment_fields.for_the_browser()
    # And the script keeps no list of its own that could drift from it.
    script = (Path(settings.BASE_DIR) / "tend/static/journal/offline.js").read_text()
    for name in TEXT_FIELDS:
        assert f'"{name}"' not in script, name
    assert 'FIELDS = JSON.parse(banner.getAttribute("data-fields"))' in script
