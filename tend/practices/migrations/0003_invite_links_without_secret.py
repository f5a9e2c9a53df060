"""Take the secret out of breathing-together notices sent before invitations kept a seat.

Those notices (and the reminders that deliver them) linked to ``/practices/together/<token>/``,
so the token sat in the notifications tables. Each now links to its session by id; a session
that is still open and whose seat is free keeps that seat for the notice's recipient, so the
invitation goes on working. A link whose session is gone points to the practices library. The
old links cannot be put back: reversing this changes nothing.
"""

import hashlib
import re
import uuid

from django.db import migrations

SECRET_LINK = re.compile(r"^/practices/together/([A-Za-z0-9_-]{1,100})/$")


def _is_uuid(value):
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def scrub_invite_links(apps, schema_editor):
    SharedBreath = apps.get_model("practices", "SharedBreath")
    for model_name in ("Notification", "Reminder"):
        model = apps.get_model("notifications", model_name)
        rows = model.objects.filter(
            code="together.invite", link__startswith="/practices/together/"
        ).only("id", "link", "recipient_id")
        for row in rows.iterator():
            found = SECRET_LINK.match(row.link)
            if found is None or _is_uuid(found.group(1)):
                continue
            digest = hashlib.sha256(found.group(1).encode()).hexdigest()
            breath = SharedBreath.objects.filter(token_hash=digest).first()
            if breath is None:
                link = "/practices/"
            else:
                link = f"/practices/together/{breath.id}/"
                if breath.invitee_id is None and breath.guest_id in (None, row.recipient_id):
                    SharedBreath.objects.filter(id=breath.id, invitee__isnull=True).update(
                        invitee_id=row.recipient_id
                    )
            model.objects.filter(id=row.id).update(link=link)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0002_sharedbreath_invitee"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(scrub_invite_links, migrations.RunPython.noop),
    ]
