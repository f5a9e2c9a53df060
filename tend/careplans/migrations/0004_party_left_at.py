from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careplans", "0003_version_number_unique_portable"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="left_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
