"""Drafts may share their roles with a published transition (a copy being prepared)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0006_version_history"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="transition",
            name="transition_unique_pair",
        ),
        migrations.AddConstraint(
            model_name="transition",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "published")),
                fields=("from_role", "to_role"),
                name="transition_unique_published_pair",
                violation_error_message="Another published transition has the same two roles.",
            ),
        ),
    ]
