"""On PostgreSQL, no two live bookings of one practitioner may share a moment of their blocks.

The block is the call widened by its buffers (``block_start``/``block_end``), the same span the
slot engine keeps clear, so a 30-minute and a 60-minute call that overlap anywhere, or whose
buffers touch the other call, cannot both be stored. Cancelled bookings are left out: their time
is free again. SQLite has no exclusion constraints; there ``booking_create`` holds the write lock
(``IMMEDIATE``) while it checks for overlaps, which serialises every writer.

``CREATE EXTENSION btree_gist`` needs a role allowed to create it (a superuser, or the database
owner on PostgreSQL 13+ since the extension is trusted).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

EXTENSION = "CREATE EXTENSION IF NOT EXISTS btree_gist"
CONSTRAINT = """
ALTER TABLE booking_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
    practitioner_id WITH =,
    tstzrange(block_start, block_end, '[)') WITH &&
) WHERE (status <> 'cancelled')
"""

DROP = "ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXTENSION)
        schema_editor.execute(CONSTRAINT)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
