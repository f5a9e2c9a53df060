import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The author's own index is covered by moment_author_occurred (author, occurred_at). Only the
# index is dropped: an AlterField would rebuild the whole table on SQLite and re-check the
# foreign key over every row on PostgreSQL, for the same result.
INDEX = "journal_moment_author_id_e7b5790e"


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0004_people_and_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="moment",
                    name="author",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="moments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON journal_moment (author_id)",
                ),
            ],
        ),
    ]
