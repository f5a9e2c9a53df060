import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The subject's own index is covered by audit_subject_at (subject, -at). Only the index is
# dropped: an AlterField would rebuild the table on SQLite and re-check the foreign key over
# every row on PostgreSQL, for the same result.
INDEX = "core_auditevent_subject_id_b9ea34ad"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_key_fingerprint_periodic_run"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="subject",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="audit_events",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON core_auditevent (subject_id)",
                ),
            ],
        ),
    ]
